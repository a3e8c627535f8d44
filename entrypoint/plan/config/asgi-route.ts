/**
 * How a request reaches the ASGI processes: by mod_rewrite in server context when nothing on
 * disk can answer it, else per directory.
 *
 * A `RewriteRule … [P]` in server context runs at URL translation and makes the request a
 * proxy request before Apache maps it to the file system; mod_proxy's map_to_storage hook
 * (`proxy_map_location` in mod_proxy.c) then skips the directory walk (an `lstat` of every
 * segment of a path that does not exist, the `<Directory>` merges, the document root's
 * `Header … expr=` rules), as for a `ProxyPass`
 * (https://httpd.apache.org/docs/2.4/rewrite/flags.html#flag_p). mod_rewrite rather than
 * `ProxyPass`: it sends the path exactly as the client wrote it (`THE_REQUEST`), and answers
 * 413 for a declared body over `--limit-request-body` before the proxy reads any of it.
 *
 * That is only right when whisk's document root is its own empty one: with
 * `--document-root` an existing file must be served from disk (a per-directory
 * `RewriteCond %{REQUEST_FILENAME} !-f`), `--rewrite-rules` are per-directory rules that come
 * first, and `--directory-index` answers a directory; there, and for a URL path a
 * mod_rewrite pattern cannot hold as plain text (see {@link prefixPattern}), whisk routes per
 * directory as before.
 */
import type { PlanContext } from './context.js';
import { mountPrefix } from './static.js';

/** The server-context rules (the main server's and the TLS virtual host's). */
export interface AsgiRouteView {
  /**
   * URL-path patterns Apache answers itself (`RewriteRule PATTERN - [L]`): whisk's `/.whisk/`
   * URLs, the status page (a prefix, as its `<Location>` matches), each `--url-alias`;
   * matched against the decoded path, as mod_alias matches it.
   */
  apache: string[];
  /** With `--mount-point`: a pattern of the paths outside the mount (`!^/api(/|$)`), which are not the application's. */
  outsideMount?: string;
}

/**
 * A mod_rewrite pattern for a URL-path prefix as mod_alias matches one (`/static` matches
 * `/static` and `/static/…`, not `/staticfiles`): `^/static(/|$)`.
 *
 * mod_rewrite parses its own arguments: in a quoted one, `\` escapes only white space and a
 * `"` ends it (`parseargline` in mod_rewrite.c), so a pattern is written without either, its
 * regex metacharacters as one-character classes (`[.]`). A path holding white space, `"`,
 * `\`, `^`, `[` or `]` has no such spelling.
 *
 * @param url a normalised URL path (`normaliseUrl`: one leading `/`, no trailing one)
 * @returns the pattern, or undefined when the path has no plain spelling
 */
export function prefixPattern(url: string): string | undefined {
  if (/[\s"\\^[\]]/.test(url)) return undefined;
  if (url === '/') return '^/';
  return `^${url.replace(/[.+*?()|{}$]/g, '[$&]')}(/|$)`;
}

/**
 * The server-context route, or undefined when requests are routed per directory (see the
 * module's comment).
 *
 * @param status mod_status answers `/server-status` (`--server-status`, `--metrics`)
 */
export function asgiRouteView(ctx: PlanContext, status: boolean): AsgiRouteView | undefined {
  const { options, app } = ctx;
  if (app.documentRoot !== undefined || app.rewriteRules !== undefined || options['directory-index'] !== undefined) return undefined;
  const aliases = app.aliases.map((a) => prefixPattern(a.url));
  const prefix = mountPrefix(options);
  const mount = prefix ? prefixPattern(prefix) : undefined;
  if (aliases.includes(undefined) || (prefix && !mount)) return undefined;
  return {
    apache: ['^/[.]whisk(/|$)', ...(status ? ['^/server-status'] : []), ...(aliases as string[])],
    outsideMount: mount && `!${mount}`,
  };
}
