/**
 * The values of the proxy options (`--trust-proxy-header`, `--trust-proxy`): the proxy
 * headers whisk knows, in their usual spelling, and the address or network format. Here, in
 * options/, because the option table's checks use them; plan/config/proxy.ts builds on them.
 */
import net from 'node:net';

/** A category of proxy header, as mod_wsgi groups them (src/server/wsgi_environ.c). */
export type Category = 'client' | 'host' | 'server' | 'port' | 'script-name' | 'scheme' | 'request-id';

/**
 * Every header `--trust-proxy-header` accepts, in its usual spelling, with its category:
 * mod_wsgi's own list, plus `X-Forwarded-Prefix` (Traefik's, Spring's; whisk gives it to
 * mod_wsgi as `X-Script-Name`) and `X-Request-ID` (kept as the request's ID, see httpd.conf).
 */
export const PROXY_HEADERS: Readonly<Record<string, Category>> = {
  'X-Forwarded-For': 'client',
  'X-Real-IP': 'client',
  'X-Client-IP': 'client',
  'X-Forwarded-Host': 'host',
  'X-Host': 'host',
  'X-Forwarded-Server': 'server',
  'X-Forwarded-Port': 'port',
  'X-Script-Name': 'script-name',
  'X-Forwarded-Script-Name': 'script-name',
  'X-Forwarded-Prefix': 'script-name',
  'X-Forwarded-Proto': 'scheme',
  'X-Forwarded-Scheme': 'scheme',
  'X-Scheme': 'scheme',
  'X-Forwarded-HTTPS': 'scheme',
  'X-Forwarded-SSL': 'scheme',
  'X-HTTPS': 'scheme',
  'X-Request-ID': 'request-id',
};

/** A header name in its spelling from {@link PROXY_HEADERS}, or undefined if not there. */
export function proxyHeaderName(raw: string): string | undefined {
  return Object.keys(PROXY_HEADERS).find((h) => h.toLowerCase() === raw.toLowerCase());
}

/** True for an IPv4 or IPv6 address, optionally with a prefix length: `10.0.0.0/8`, `fd00::/8`. */
export function isCidr(raw: string): boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(raw);
  if (!m) return false;
  const family = net.isIP(m[1]);
  if (family === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (family === 4 ? 32 : 128);
}
