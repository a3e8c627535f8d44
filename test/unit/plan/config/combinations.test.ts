import { describe, expect, it } from 'vitest';
import { checkCombinations, COMBINATION_RULES } from '../../../../entrypoint/plan/config/combinations.js';
import type { AppKind } from '../../../../entrypoint/plan/config/context.js';
import { cmd, usageFailure } from '../../../helpers/options.js';

/** Each case: a command line, the application's kind, the start of the message it is refused with. */
const REFUSED: [string[], AppKind, RegExp][] = [
  [['--embedded-mode'], 'asgi', /^--embedded-mode with --application-type asgi: .*allowed: one of them$/],
  [['--reload-on-changes'], 'asgi', /^--reload-on-changes: not yet for --application-type asgi/],
  [['--reload-on-changes', '--embedded-mode'], 'wsgi', /^--reload-on-changes with --embedded-mode: .*allowed: one of them$/],
  [['--interrupt-timeout', '60'], 'wsgi', /^--interrupt-timeout 60: not shorter than --request-timeout 60, .*allowed: fewer seconds than --request-timeout/],
  [['--maximum-requests-jitter', '50'], 'wsgi', /^--maximum-requests-jitter 50: no --maximum-requests to add it to; allowed: --maximum-requests NUMBER/],
  [['--early-hint', '/', '</a.css>; rel=preload'], 'wsgi', /^--early-hint \/ <\/a\.css>; rel=preload: no --http2 given; allowed: --http2 with it/],
  [['--restart-interval-jitter', '600'], 'asgi', /^--restart-interval-jitter 600: no --restart-interval to add it to; allowed: --restart-interval SECONDS/],
  [['--maximum-rss', '512', '--embedded-mode'], 'wsgi', /^--maximum-rss with --embedded-mode: .*allowed: one of them$/],
  [['--restart-interval', '3600', '--restart-interval-jitter', '600', '--embedded-mode'], 'wsgi', /^--restart-interval-jitter with --embedded-mode/],
  [['--maximum-requests', '1000', '--maximum-requests-jitter', '50', '--embedded-mode'], 'wsgi', /^--maximum-requests-jitter with --embedded-mode/],
  [
    ['--trust-proxy-header', 'x-forwarded-for'],
    'wsgi',
    /^--trust-proxy-header X-Forwarded-For: no --trust-proxy given; allowed: .*--trust-proxy 10\.0\.0\.0\/8/,
  ],
  [['--ssl-certificate', 'site'], 'wsgi', /^--ssl-certificate: no --https-port given/],
  [['--https-only'], 'wsgi', /^--https-only: no --https-port given/],
  [['--ssl-verify-client', '/a'], 'wsgi', /^--ssl-verify-client: no --https-port given/],
  [['--acme-email', 'a@b.c'], 'wsgi', /^--acme-email: no --https-port given/],
  [['--port', '80', '--https-port', '80', '--ssl-certificate', 'site'], 'wsgi', /^--https-port: 80 is --port too/],
  [
    ['--https-port', '443', '--acme-email', 'a@b.c', '--server-name', 'x.test', '--ssl-certificate', 'site'],
    'wsgi',
    /^--acme-email a@b\.c: a certificate file is given too/,
  ],
  [
    ['--https-port', '443'],
    'wsgi',
    /^--https-port 443: no certificate; allowed: --ssl-certificate-file FILE with --ssl-certificate-key-file FILE, or --ssl-certificate PREFIX.* or --acme-email ADDRESS with --server-name NAME/,
  ],
  [['--https-port', '443', '--ssl-certificate-file', 'site.crt'], 'wsgi', /^--https-port 443: no private key/],
  [['--https-port', '443', '--acme-email', 'a@b.c'], 'wsgi', /^--acme-email a@b\.c: no --server-name; allowed: --server-name HOSTNAME/],
  [['--https-port', '443', '--acme-email', 'a@b.c', '--server-name', '192.0.2.1'], 'wsgi', /--server-name 192\.0\.2\.1 is an IP address/],
  [['--https-port', '443', '--ssl-certificate', 'site', '--ssl-verify-client', '/a'], 'wsgi', /^--ssl-verify-client \/a: no --ssl-ca-certificate-file/],
  [
    ['--https-port', '443', '--acme-email', 'a@b.c', '--server-name', 'x.test', '--ssl-certificate-chain-file', 'c.pem'],
    'wsgi',
    /^--ssl-certificate-chain-file: not with --acme-email/,
  ],
  [['--server-root', '/srv/a|b'], 'asgi', /^--server-root: "\/srv\/a\|b" contains "\|", which ends the socket path/],
  [['--metrics'], 'static', /^--metrics: .*allowed: --server-status/],
  [['--cache-size', '1048576'], 'wsgi', /^--cache-size 1048576: no --cache-responses given; allowed: --cache-responses with it/],
  [['--sticky-sessions'], 'wsgi', /^--sticky-sessions: for an ASGI application's processes.*allowed: --application-type asgi with it, or --processes 1/],
];

/** Command lines whose options combine (each close to a refused one). */
const ACCEPTED: [string[], AppKind][] = [
  [['--embedded-mode'], 'wsgi'],
  [['--maximum-requests', '1000', '--maximum-requests-jitter', '50', '--maximum-rss', '512'], 'wsgi'],
  [['--maximum-rss', '512'], 'asgi'],
  [['--restart-interval', '3600', '--restart-interval-jitter', '600'], 'wsgi'],
  [['--http2', '--early-hint', '/', '</a.css>; rel=preload'], 'asgi'],
  [['--interrupt-timeout', '30'], 'wsgi'],
  [['--interrupt-timeout', '300', '--request-timeout', '0'], 'wsgi'],
  [['--reload-on-changes'], 'wsgi'],
  [['--trust-proxy-header', 'X-Forwarded-For', '--trust-proxy', '10.0.0.0/8'], 'wsgi'],
  [['--https-port', '443', '--ssl-certificate', 'site', '--https-only', '--ssl-ca-certificate-file', 'ca.crt', '--ssl-verify-client', '/a'], 'wsgi'],
  [['--https-port', '443', '--acme-email', 'a@b.c', '--server-name', 'x.test'], 'asgi'],
  [['--server-root', '/srv/a|b'], 'wsgi'],
  [['--metrics'], 'asgi'],
  [['--cache-responses', '--cache-size', '1048576'], 'wsgi'],
  [['--sticky-sessions'], 'asgi'],
];

describe('the options that do not combine', () => {
  it.each(REFUSED)('%j (%s) is refused, naming the options and what is allowed', (argv, kind, message) => {
    expect(usageFailure(() => checkCombinations(cmd(argv).options, kind))).toMatch(message);
  });

  it.each(ACCEPTED)('%j (%s) is accepted', (argv, kind) => {
    expect(() => checkCombinations(cmd(argv).options, kind)).not.toThrow();
  });

  it('has a refused case for every rule of the table, and the defaults break none', () => {
    for (const rule of COMBINATION_RULES) {
      expect(
        REFUSED.some(([argv, kind]) => rule.broken(cmd(argv).options, kind)),
        rule.options.join(' '),
      ).toBe(true);
      for (const kind of ['wsgi', 'asgi', 'static'] as const) expect(rule.broken(cmd([]).options, kind)).toBeUndefined();
    }
  });
});
