/**
 * The forwarding headers every request loses, whatever `--trust-proxy-header` says. Pure.
 *
 * - Spellings with `_` for `-` of each header whisk sets or trusts (`X_Forwarded_For`,
 *   `X-Forwarded_Proto`, `X_Request_ID`, …): Apache keeps such names, passes them to what it
 *   proxies (the ASGI processes, `--proxy-mount-point` back ends), and Django's ASGI handler
 *   folds them into the real header (`HTTP_X_FORWARDED_FOR='6.6.6.6,127.0.0.1'`: the leftmost
 *   entry the client's choice). The CGI environment mod_wsgi builds already drops them; nginx
 *   (`underscores_in_headers off`) and gunicorn ≥ 22 (`header_map = drop`) drop them too.
 * - `X-Forwarded-Host`, `X-Forwarded-Server`, `X-Forwarded-Port` (and `X-Host`) when no
 *   `--trust-proxy-header` trusts their kind: mod_proxy appends its own value to a
 *   client's (`ProxyAddHeaders`), which would stay first, and WSGI applications would read
 *   a client's raw value. When trusted, proxy.ts removes them from every untrusted peer.
 */
import { PROXY_HEADERS } from '../../options/proxy-headers.js';
import { trustedKinds } from './proxy.js';

/** Headers whisk sets beyond {@link PROXY_HEADERS}: the health check's token. */
const WHISK_HEADERS = ['X-Whisk-Health-Token'];

/** Kinds of proxy header removed from every request unless trusted. */
const REMOVED_UNLESS_TRUSTED = ['host', 'server', 'port'];

/** What httpd.conf removes from every request (`RequestHeader unset`). */
export interface ForwardedView {
  /** Every `_` spelling of the headers whisk sets or trusts, in a stable order. */
  underscoreSpellings: string[];
  /** The host, server and port headers, when no `--trust-proxy-header` trusts their kind. */
  untrusted: string[];
}

/**
 * Every spelling of `name` with some of its dashes written as underscores (not `name`
 * itself): `X-Request-ID` → `X_Request-ID`, `X-Request_ID`, `X_Request_ID`.
 */
export function underscoreSpellings(name: string): string[] {
  const parts = name.split('-');
  const out: string[] = [];
  for (let mask = 1; mask < 1 << (parts.length - 1); mask++) {
    out.push(parts.reduce((acc, p, i) => (i === 0 ? p : acc + ((mask >> (i - 1)) & 1 ? '_' : '-') + p), ''));
  }
  return out;
}

/**
 * Builds the headers to remove.
 *
 * @param trusted `--trust-proxy-header` values (checked names, any case)
 */
export function forwardedView(trusted: string[]): ForwardedView {
  const kinds = trustedKinds(trusted);
  return {
    underscoreSpellings: [...Object.keys(PROXY_HEADERS), ...WHISK_HEADERS].flatMap(underscoreSpellings),
    untrusted: Object.keys(PROXY_HEADERS).filter((h) => REMOVED_UNLESS_TRUSTED.includes(PROXY_HEADERS[h]) && !kinds.has(PROXY_HEADERS[h])),
  };
}
