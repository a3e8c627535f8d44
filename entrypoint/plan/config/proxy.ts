/**
 * `--trust-proxy-header` and `--trust-proxy` → what httpd.conf does with the headers a load
 * balancer sends. Pure.
 *
 * mod_wsgi-express maps these options to `WSGITrustedProxyHeaders` and `WSGITrustedProxies`
 * (https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGITrustedProxyHeaders.html).
 * whisk keeps their meaning, with one change of mechanism so that Apache itself (the access
 * log's `%a`, `Require ip`) also sees the real client:
 * - the client-address header (`X-Forwarded-For`, `X-Real-IP` or `X-Client-IP`) is read by
 *   mod_remoteip (`RemoteIPHeader`, `RemoteIPInternalProxy`,
 *   https://httpd.apache.org/docs/2.4/mod/mod_remoteip.html), which walks the list from the
 *   right past trusted proxies, as mod_wsgi does;
 * - mod_remoteip changes the address mod_wsgi would test against `WSGITrustedProxies`, so
 *   the peer is tested by Apache instead, on the connection's own address
 *   (`%{CONN_REMOTE_ADDR}`, which mod_remoteip leaves alone): from a peer that is not a
 *   trusted proxy every header of a trusted category (and its synonyms) is removed before
 *   the application sees the request, and the rest go to `WSGITrustedProxyHeaders`, which
 *   mod_wsgi then applies (scheme, host, port, SCRIPT_NAME) and whose synonyms it drops.
 */
import net from 'node:net';
import { UsageError } from '../../errors.js';
import { PROXY_HEADERS, type Category } from '../../options/proxy-headers.js';

/** The kinds of header `--trust-proxy-header` values name (in the table's spelling: options/values.ts). */
export function trustedKinds(headers: string[]): Set<Category> {
  return new Set(headers.map((h) => PROXY_HEADERS[h]));
}

/**
 * A `--trust-proxy` value as Apache networks: APR refuses a prefix length of 0 (in
 * `RemoteIPInternalProxy` and ap_expr's `-ipmatch` alike), so "every address" is written
 * as its two halves.
 */
export function apacheNetworks(cidr: string): string[] {
  const m = /^(.*)\/0$/.exec(cidr);
  if (!m) return [cidr];
  return net.isIP(m[1]) === 4 ? ['0.0.0.0/1', '128.0.0.0/1'] : ['::/1', '8000::/1'];
}

/**
 * The ap_expr that tests the connection's peer against `networks` (`%{CONN_REMOTE_ADDR}`,
 * which mod_remoteip leaves alone), or undefined for none.
 */
export function peerExpression(networks: string[]): string | undefined {
  if (networks.length === 0) return undefined;
  return networks.map((p) => `%{CONN_REMOTE_ADDR} -ipmatch '${p}'`).join(' || ');
}

/** What httpd.conf needs for proxies; absent when no header is trusted. */
export interface ProxyView {
  /** `RemoteIPHeader`: the trusted client-address header, if one is. */
  clientHeader?: string;
  /**
   * `RemoteIPInternalProxy` arguments, and the peers the other headers are taken from
   * (`--trust-proxy`, a `/0` written as two halves: see {@link apacheNetworks}).
   */
  proxies: string[];
  /** An ap_expr, true when the connection's peer is one of {@link proxies}. */
  trustedPeer: string;
  /** Headers removed when the peer is not trusted: every header of a trusted category. */
  unsetUntrusted: string[];
  /**
   * Headers removed from every request: the synonyms of the trusted client-address header,
   * and `X-Script-Name` when only `X-Forwarded-Prefix` may set it.
   */
  unsetAlways: string[];
  /** `X-Forwarded-Prefix` is trusted: its value becomes `X-Script-Name` for mod_wsgi. */
  forwardedPrefix: boolean;
  /** `WSGITrustedProxyHeaders` arguments (scheme, host, server, port, SCRIPT_NAME headers). */
  wsgiHeaders: string[];
  /** `X-Request-ID` is trusted: a well-formed one from a trusted peer is kept. */
  requestId: boolean;
  /** `X-Forwarded-Proto` is trusted (an ASGI application gets the scheme from it). */
  forwardedProto: boolean;
  /** `X-Forwarded-Host` is trusted (an ASGI application gets it as its Host). */
  forwardedHost: boolean;
}

/**
 * Builds the proxy settings.
 *
 * @param names `--trust-proxy-header` values, in the table's spelling (options/values.ts canonicalises them)
 * @param proxies `--trust-proxy` values (checked IPs or CIDRs; at least one with a header: combinations.ts)
 * @returns undefined when no header is trusted (`--trust-proxy` alone changes nothing)
 * @throws {UsageError} two client-address headers (mod_remoteip reads one)
 */
export function proxyView(names: string[], proxies: string[]): ProxyView | undefined {
  if (names.length === 0) return undefined;
  const clients = names.filter((h) => PROXY_HEADERS[h] === 'client');
  if (clients.length > 1) {
    throw new UsageError(
      `--trust-proxy-header: ${clients.join(' and ')} both name the client's address; allowed: one of X-Forwarded-For, X-Real-IP, X-Client-IP`,
    );
  }
  const categories = trustedKinds(names);
  const synonyms = (c: Category) => Object.keys(PROXY_HEADERS).filter((h) => PROXY_HEADERS[h] === c);
  const forwardedPrefix = names.includes('X-Forwarded-Prefix');
  const wsgiHeaders = names.filter((h) => !['client', 'request-id'].includes(PROXY_HEADERS[h]) && h !== 'X-Forwarded-Prefix');
  if (forwardedPrefix && !wsgiHeaders.includes('X-Script-Name')) wsgiHeaders.push('X-Script-Name');
  const networks = proxies.flatMap(apacheNetworks);
  const unsetAlways = [
    ...(clients.length ? synonyms('client').filter((h) => h !== clients[0]) : []),
    ...(forwardedPrefix && !names.includes('X-Script-Name') ? ['X-Script-Name'] : []),
  ];
  return {
    clientHeader: clients[0],
    proxies: networks,
    trustedPeer: peerExpression(networks) ?? 'false',
    unsetUntrusted: [...categories].flatMap(synonyms).filter((h) => !unsetAlways.includes(h)),
    unsetAlways,
    forwardedPrefix,
    wsgiHeaders,
    requestId: categories.has('request-id'),
    forwardedProto: names.includes('X-Forwarded-Proto'),
    forwardedHost: names.includes('X-Forwarded-Host'),
  };
}
