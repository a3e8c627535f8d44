/**
 * `--proxy-mount-point URL-PATH URL`: mod_wsgi-express's sub-site proxy (its
 * `APACHE_PROXY_PASS_MOUNT_POINT_CONFIG` in src/express/apache.py), on mod_proxy_http:
 * `ProxyPass URL-PATH URL upgrade=websocket` and `ProxyPassReverse`, with
 * `X-Forwarded-Prefix` (URL-PATH without its trailing `/`) and `X-Forwarded-Port`; a
 * URL-PATH without a trailing `/` is mounted as URL-PATH/ and the bare URL-PATH redirects
 * there (302), as mod_wsgi-express does.
 *
 * Beyond mod_wsgi-express, as whisk's ASGI processes are proxied: the back end gets the
 * client's `Host` (`ProxyPreserveHost`), one `X-Forwarded-For` that Apache writes (a
 * client's own is removed, so a back end that trusts the leftmost address is not fooled) and
 * `X-Forwarded-Proto`; whisk's own URLs (`/.whisk/…`, `/server-status`) are never forwarded.
 * https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass
 */
import { UsageError } from '../../errors.js';
import type { Options } from '../../options/table.js';

/** One proxied sub-site. */
export interface ProxyMount {
  /** The `ProxyPass` path: URL-PATH, with a trailing `/` added when it had none. */
  path: string;
  /** The `ProxyPass` URL, ending in `/` when `path` does (mod_proxy appends the rest of the path). */
  url: string;
  /** The `ProxyPassReverse` URL: `url`, or its `http://…` part for a unix socket. */
  reverseUrl: string;
  /** `X-Forwarded-Prefix`: URL-PATH without its trailing `/` (empty for `/`). */
  prefix: string;
  /** The bare URL-PATH that redirects to `path`, as a regular expression; undefined when URL-PATH ended in `/`. */
  redirectMatch?: string;
  /** Where the bare URL-PATH redirects: `path`, percent-encoded, with RedirectMatch's `$`, `&` and `\` escaped. */
  redirectTo?: string;
}

/** Escapes every character a PCRE pattern could read as syntax (all but letters, digits and non-ASCII). */
export function regexLiteral(text: string): string {
  return text.replace(/[\x00-\x7f]/g, (c) => (/[A-Za-z0-9]/.test(c) ? c : `\\${c}`));
}

/** The bare mount point's redirect target, as a URL (percent-encoded) for mod_alias's RedirectMatch, whose `$` and `&` are syntax. */
export function redirectTarget(urlPath: string): string {
  return encodeURI(urlPath).replace(/[$&\\]/g, (c) => `\\${c}`);
}

/**
 * @returns the mounts, longest path first (mod_proxy takes the first `ProxyPass` that
 *   matches, so a longer one must come before a shorter one that contains it)
 * @throws {UsageError} a URL-PATH holding `*` or `[` (wildcards in the `<Location>` the
 *   headers are set in), or given twice
 */
export function proxyMounts(options: Options): ProxyMount[] {
  const seen = new Set<string>();
  const mounts = options['proxy-mount-point'].map(([mount, url]): ProxyMount => {
    const bad = /[*[]/.exec(mount);
    if (bad)
      throw new UsageError(
        `--proxy-mount-point ${mount}: contains ${JSON.stringify(bad[0])}, a wildcard in Apache's <Location>; allowed: a URL path without * or [`,
      );
    const slash = mount.endsWith('/');
    const p = slash ? mount : `${mount}/`;
    if (seen.has(p)) throw new UsageError(`--proxy-mount-point ${mount}: given twice; allowed: one URL for each URL path`);
    seen.add(p);
    const target = slash ? url : `${url.replace(/\/+$/, '')}/`;
    const bar = target.indexOf('|');
    return {
      path: p,
      url: target,
      reverseUrl: bar < 0 ? target : target.slice(bar + 1),
      prefix: p.replace(/\/+$/, ''),
      redirectMatch: slash ? undefined : `^${regexLiteral(mount)}$`,
      redirectTo: slash ? undefined : redirectTarget(p),
    };
  });
  return mounts.sort((a, b) => b.path.length - a.path.length);
}
