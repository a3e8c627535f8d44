/**
 * `--http2` (mod_wsgi-express's name) → mod_http2's settings
 * (https://httpd.apache.org/docs/2.4/mod/mod_http2.html). Pure.
 *
 * h2 over TLS (ALPN, in the HTTPS virtual host: tls.ts) and h2c on the plain port, both by
 * prior knowledge (as Cloud Run and Google's load balancers speak to their back ends) and by
 * `Upgrade: h2c`. Server push off; WebSockets over HTTP/2 (RFC 8441) on.
 */
import { apacheDirectory } from '../apache.js';
import { h2Workers, type MpmSettings } from '../sizing.js';
import type { PlanContext } from './context.js';

/** What httpd.conf needs for `--http2`; absent without it. */
export interface Http2View {
  /** The main server's `Protocols` (the plain port): h2c first. */
  serverProtocols: string[];
  /**
   * mod_buffer's input filter on HTTP/2 requests whose body has no length, for mod_wsgi's
   * daemon mode, which reads such a body as empty: mod_http2 hands the body on with a
   * zero-length bucket first, which mod_wsgi frames for the daemon as a chunk of size 0, the
   * end of the body (checked with Debian's mod_wsgi 4.9 and mod_wsgi 6.0's source).
   * mod_buffer passes the body on without empty buckets.
   */
  bufferBodies: boolean;
  /** `--early-hint`: each URL path's Link header (one `<Location>` a path). */
  earlyHints: { path: string; link: string }[];
  /** `H2MinWorkers` and `H2MaxWorkers`, threads in each child: sized with the MPM (sizing.ts). */
  workers: number;
}

/**
 * The mod_http2 settings, or undefined without `--http2`.
 *
 * @param mpm the event MPM's figures, which mod_http2's workers follow
 * @throws {UsageError} an `--early-hint` URL-PATH holding `*` or `[`, wildcards in the
 *   `<Location>` its hint is set in
 */
export function http2View(ctx: PlanContext, mpm: MpmSettings): Http2View | undefined {
  if (!ctx.options.http2) return undefined;
  return {
    workers: h2Workers(mpm),
    serverProtocols: ['h2c', 'http/1.1'],
    bufferBodies: ctx.kind === 'wsgi' && !ctx.options['embedded-mode'],
    earlyHints: earlyHints(ctx.options['early-hint']),
  };
}

/**
 * `--early-hint` pairs (one a URL path: several links go in one Link value, comma-separated,
 * as in any Link header), shortest path first. A request under several of the paths gets
 * the links of each: the `<Location>` sections merge, and mod_http2 joins their Link values.
 */
export function earlyHints(pairs: [string, string][]): { path: string; link: string }[] {
  for (const [urlPath] of pairs) apacheDirectory(urlPath, `--early-hint ${urlPath}`, '<Location>');
  return pairs.map(([path, link]) => ({ path, link })).sort((a, b) => a.path.length - b.path.length);
}

/**
 * The HTTPS virtual host's `Protocols` when they are not Apache's default (`http/1.1`): h2
 * first with `--http2`, and `acme-tls/1` for mod_md's tls-alpn-01 challenge.
 */
export function tlsProtocols(http2: boolean, tlsAlpn: boolean): string[] | undefined {
  const list = [...(http2 ? ['h2'] : []), 'http/1.1', ...(tlsAlpn ? ['acme-tls/1'] : [])];
  return list.length > 1 ? list : undefined;
}
