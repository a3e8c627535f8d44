/**
 * The rules on which options combine: one table, checked once before any builder runs
 * (buildView), so each builder may take its options as making sense together. A rule on the
 * values of one option stays with that option's check (options/values.ts) or its builder.
 */
import net from 'node:net';
import type { Options } from '../../options/table.js';
import { UsageError } from '../../errors.js';
import type { AppKind } from './context.js';

/** One rule: the options it is about, and its message (what is wrong; what is allowed) when broken. */
export interface CombinationRule {
  /** The options the rule is about, without `--`. */
  options: string[];
  /** The message when the rule is broken, or undefined when it holds. */
  broken: (o: Options, kind: AppKind) => string | undefined;
}

/** The options that configure HTTPS, each meaningless without `--https-port`. */
const TLS_OPTIONS = [
  'ssl-certificate-file',
  'ssl-certificate-key-file',
  'ssl-certificate-chain-file',
  'ssl-certificate',
  'ssl-ca-certificate-file',
  'https-only',
  'hsts-policy',
  'ssl-environment',
  'acme-email',
  'acme-ca-certificate-file',
] as const;

/** The certificate and key files `--https-port` serves: given, or `--ssl-certificate PREFIX`'s `.crt` and `.key`. */
export function certificateOptions(o: Options): { certificateFile?: string; keyFile?: string } {
  const prefix = o['ssl-certificate'];
  return { certificateFile: o['ssl-certificate-file'] ?? (prefix && `${prefix}.crt`), keyFile: o['ssl-certificate-key-file'] ?? (prefix && `${prefix}.key`) };
}

/** Every rule, in the order they are checked (the first broken one is reported). */
export const COMBINATION_RULES: CombinationRule[] = [
  {
    options: ['embedded-mode', 'application-type'],
    broken: (o, kind) =>
      kind === 'asgi' && o['embedded-mode']
        ? "--embedded-mode with --application-type asgi: an ASGI application runs in uvicorn processes of its own, not in Apache's children; allowed: one of them"
        : undefined,
  },
  {
    options: ['reload-on-changes', 'application-type'],
    broken: (o, kind) =>
      kind === 'asgi' && o['reload-on-changes']
        ? "--reload-on-changes: not yet for --application-type asgi (it works in mod_wsgi's daemons, which an ASGI application does not run in); allowed: leave it out"
        : undefined,
  },
  {
    options: ['reload-on-changes', 'embedded-mode'],
    broken: (o) =>
      o['reload-on-changes'] && o['embedded-mode']
        ? "--reload-on-changes with --embedded-mode: a code change restarts a mod_wsgi daemon process, and embedded mode has none (the application runs in Apache's own children); allowed: one of them"
        : undefined,
  },
  {
    options: ['interrupt-timeout', 'request-timeout'],
    broken: (o) =>
      o['interrupt-timeout'] > 0 && o['request-timeout'] > 0 && o['interrupt-timeout'] >= o['request-timeout']
        ? `--interrupt-timeout ${o['interrupt-timeout']}: not shorter than --request-timeout ${o['request-timeout']}, which restarts the daemon with every request in it first; allowed: fewer seconds than --request-timeout (which stays the backstop for a thread stuck in C), or --request-timeout 0`
        : undefined,
  },
  {
    options: ['maximum-requests-jitter', 'maximum-requests'],
    broken: (o) =>
      o['maximum-requests-jitter'] > 0 && o['maximum-requests'] === 0
        ? `--maximum-requests-jitter ${o['maximum-requests-jitter']}: no --maximum-requests to add it to; allowed: --maximum-requests NUMBER with it (gunicorn's max_requests_jitter), or leave it out`
        : undefined,
  },
  {
    options: ['cache-size', 'cache-responses'],
    broken: (o) =>
      o['cache-size'] !== undefined && !o['cache-responses']
        ? `--cache-size ${o['cache-size']}: no --cache-responses given; allowed: --cache-responses with it, or leave it out`
        : undefined,
  },
  {
    options: ['sticky-sessions', 'application-type'],
    broken: (o, kind) =>
      o['sticky-sessions'] && kind !== 'asgi'
        ? "--sticky-sessions: for an ASGI application's processes, which Apache balances; a WSGI application's daemon processes share one listening socket, and whichever is free takes the next request; allowed: --application-type asgi with it, or --processes 1 for a WSGI application that keeps sessions in its process"
        : undefined,
  },
  {
    options: ['early-hint', 'http2'],
    broken: (o) =>
      o['early-hint'].length > 0 && !o.http2
        ? `--early-hint ${o['early-hint'][0].join(' ')}: no --http2 given; allowed: --http2 with it (Apache sends 103 Early Hints over HTTP/2 only)`
        : undefined,
  },
  {
    options: ['restart-interval-jitter', 'restart-interval'],
    broken: (o) =>
      o['restart-interval-jitter'] > 0 && o['restart-interval'] === 0
        ? `--restart-interval-jitter ${o['restart-interval-jitter']}: no --restart-interval to add it to; allowed: --restart-interval SECONDS with it, or leave it out`
        : undefined,
  },
  {
    options: ['maximum-rss', 'maximum-requests-jitter', 'restart-interval-jitter', 'embedded-mode'],
    broken: (o) => {
      const given = (['maximum-rss', 'maximum-requests-jitter', 'restart-interval-jitter'] as const).find((name) => o[name] > 0);
      return given && o['embedded-mode']
        ? `--${given} with --embedded-mode: whisk recycles an application process (a mod_wsgi daemon), and embedded mode has none (the application runs in Apache's own children); allowed: one of them`
        : undefined;
    },
  },
  {
    // whisk, unlike mod_wsgi-express, trusts no peer by default: anyone could otherwise choose their own address.
    options: ['trust-proxy-header', 'trust-proxy'],
    broken: (o) =>
      o['trust-proxy-header'].length > 0 && o['trust-proxy'].length === 0
        ? `--trust-proxy-header ${o['trust-proxy-header'].join(', ')}: no --trust-proxy given; allowed: the addresses of your load balancer or ingress as --trust-proxy IP or CIDR (repeatable), e.g. --trust-proxy 10.0.0.0/8; --trust-proxy 0.0.0.0/0 --trust-proxy ::/0 trusts every peer`
        : undefined,
  },
  {
    options: ['https-port', ...TLS_OPTIONS, 'ssl-verify-client'],
    broken: (o) => {
      if (o['https-port'] !== undefined) return undefined;
      const given = TLS_OPTIONS.find((n) => o[n]) ?? (o['ssl-verify-client'].length ? 'ssl-verify-client' : undefined);
      return given && `--${given}: no --https-port given; allowed: --https-port NUMBER (443 in the image) with the certificate options`;
    },
  },
  {
    options: ['https-port', 'port'],
    broken: (o) =>
      o['https-port'] === o.port ? `--https-port: ${o.port} is --port too; allowed: another port than --port (443 and 80 in the image)` : undefined,
  },
  {
    options: ['acme-email', 'ssl-certificate-file', 'ssl-certificate-key-file', 'ssl-certificate'],
    broken: (o) => {
      const { certificateFile, keyFile } = certificateOptions(o);
      return o['acme-email'] && (certificateFile || keyFile)
        ? `--acme-email ${o['acme-email']}: a certificate file is given too (--ssl-certificate-file / --ssl-certificate-key-file / --ssl-certificate); allowed: one of the two ways`
        : undefined;
    },
  },
  {
    options: ['https-port', 'ssl-certificate-file', 'ssl-certificate-key-file', 'ssl-certificate', 'acme-email'],
    broken: (o) => {
      const { certificateFile, keyFile } = certificateOptions(o);
      return o['https-port'] !== undefined && !o['acme-email'] && (!certificateFile || !keyFile)
        ? `--https-port ${o['https-port']}: no ${certificateFile ? 'private key' : 'certificate'}; allowed: --ssl-certificate-file FILE with --ssl-certificate-key-file FILE, or --ssl-certificate PREFIX (PREFIX.crt and PREFIX.key), or --acme-email ADDRESS with --server-name NAME (a certificate obtained from Let's Encrypt)`
        : undefined;
    },
  },
  {
    options: ['acme-email', 'server-name'],
    broken: (o) => {
      const name = o['server-name'];
      return o['acme-email'] && (!name || net.isIP(name))
        ? `--acme-email ${o['acme-email']}: ${name ? `--server-name ${name} is an IP address` : 'no --server-name'}; allowed: --server-name HOSTNAME, the DNS name the certificate is for (and --server-alias for more)`
        : undefined;
    },
  },
  {
    options: ['ssl-verify-client', 'ssl-ca-certificate-file'],
    broken: (o) =>
      o['ssl-verify-client'].length && !o['ssl-ca-certificate-file']
        ? `--ssl-verify-client ${o['ssl-verify-client'][0]}: no --ssl-ca-certificate-file to verify client certificates with; allowed: add --ssl-ca-certificate-file FILE`
        : undefined,
  },
  {
    options: ['ssl-certificate-chain-file', 'acme-email'],
    broken: (o) =>
      o['acme-email'] && o['ssl-certificate-chain-file']
        ? '--ssl-certificate-chain-file: not with --acme-email, whose CA sends its own chain; allowed: one of the two'
        : undefined,
  },
  {
    // mod_proxy's balancer member is `unix:PATH|URL`: a "|" in the socket's path would end it early.
    options: ['server-root', 'application-type'],
    broken: (o, kind) =>
      kind === 'asgi' && o['server-root']?.includes('|')
        ? `--server-root: ${JSON.stringify(o['server-root'])} contains "|", which ends the socket path in mod_proxy's unix:PATH|URL; allowed for --application-type asgi: a path without "|"`
        : undefined,
  },
  {
    options: ['metrics', 'application-type'],
    broken: (o, kind) =>
      o.metrics && kind === 'static'
        ? "--metrics: mod_wsgi answers /.whisk/metrics, and --application-type static loads no mod_wsgi; allowed: --server-status for Apache's figures alone"
        : undefined,
  },
];

/**
 * Checks every {@link COMBINATION_RULES} rule.
 *
 * @param kind the application's kind (the application type given or detected)
 * @throws {UsageError} the first broken rule's message
 */
export function checkCombinations(options: Options, kind: AppKind): void {
  for (const rule of COMBINATION_RULES) {
    const message = rule.broken(options, kind);
    if (message) throw new UsageError(message);
  }
}
