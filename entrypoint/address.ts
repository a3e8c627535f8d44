/**
 * Host addresses in the three spellings whisk writes them in: bare (`::1`, as given to
 * `listen()` and recorded in state.json), bracketed in a URL or Apache's `Listen`
 * (`[::1]:8000`, RFC 3986 section 3.2.2), and the URL a process beside the server reaches it
 * at. Small and pure: `whisk healthcheck`'s own bundle imports it.
 */

/** A `--host` without the brackets an IPv6 address may be given in: `[::1]` → `::1`. */
export function unbracketHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

/**
 * `HOST:PORT` with an IPv6 address in brackets: `[::1]:8000`, `127.0.0.1:80`.
 *
 * @param host a bare host (no brackets)
 */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Apache's `Listen` argument: `PORT` for every address, else `HOST:PORT` (`[V6]:PORT`).
 *
 * @param host a bare host (no brackets), or undefined
 */
export function listenArg(host: string | undefined, port: number): string {
  return host ? hostPort(host, port) : String(port);
}

/**
 * The base URL a process beside the server reaches it at (`whisk healthcheck`, metrics.wsgi):
 * the --host it listens on, or 127.0.0.1 when it listens on every address.
 *
 * @param host the bare --host (no brackets), or undefined
 * @returns e.g. `http://127.0.0.1:80`, `http://[::1]:8000`
 */
export function localBaseUrl(host: string | undefined, port: number): string {
  const h = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${hostPort(h, port)}`;
}
