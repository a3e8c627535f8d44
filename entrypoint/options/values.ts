/**
 * Checks and converts one raw option value (a string from the command line, a file or the
 * environment) to its type, before anything starts. Every message names where the value
 * came from, the value and what is allowed.
 */
import net from 'node:net';
import { UsageError } from '../errors.js';
import { isCidr, PROXY_HEADERS, proxyHeaderName } from './proxy-headers.js';
import { unbracketHost } from '../address.js';
import { checkPrintable } from './printable.js';
import { isIdentifier } from './python-names.js';
import { allowed, specOf, type Format, type OptionName } from './table.js';

// Labels of letters, digits, `-` and `_` (Docker's and Compose's service names have `_`,
// and the resolver, not whisk, decides what a name is).
const HOST_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?$`);
/** RFC 3986 path characters, without `*` and `?`: a path whisk sends in a request itself. */
const REQUEST_PATH = /^\/[A-Za-z0-9\-._~!$&'()+,;=:@%/]*$/;
/** A `.` or `..` segment, which Apache's URL normalisation removes before any match. */
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

/** Format → [test, what is allowed]. */
const FORMATS: Record<Format, [(v: string) => boolean, string]> = {
  path: [() => true, 'a file-system path'],
  'absolute-path': [(v) => v.startsWith('/'), 'an absolute file-system path (starting with /)'],
  // Alias, ErrorDocument and the mount point are matched against the decoded path (mod_alias
  // compares r->uri), so any printable text but a query or fragment mark: /médias, /my files.
  'url-path': [
    (v) => v.startsWith('/') && !/[?#]/.test(v) && !DOT_SEGMENT.test(v),
    'a URL path starting with / (decoded, as Apache matches it: no ? or #, no . or .. segments)',
  ],
  'request-path': [
    (v) => REQUEST_PATH.test(v) && !DOT_SEGMENT.test(v),
    "a URL path starting with / (letters, digits and -._~!$&'()+,;=:@%/; no . or .. segments)",
  ],
  host: [(v) => net.isIP(unbracketHost(v)) !== 0 || HOST_NAME.test(v), 'an IPv4 or IPv6 address or a host name'],
  'env-name': [(v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v), 'an environment variable name (letters, digits and _, not starting with a digit)'],
  // Apache's SetEnv takes any word; the WSGI environ gets it as a str of the same ASCII
  // bytes (PEP 3333). Beyond ASCII the key would arrive re-decoded as Latin-1.
  'environ-key': [(v) => /^[\x21-\x7e]+$/.test(v), 'a WSGI environ key: printable ASCII without spaces, e.g. trac.env_path or MY_SETTING'],
  identifier: [isIdentifier, 'a Python identifier (letters, digits and _, not starting with a digit)'],
  // Whatever getpwnam/getgrnam resolve (Debian's useradd takes dots, LDAP names have them);
  // not `:` (the passwd field separator), `/` or white space, nor a leading `-`, which getent
  // would read as an option. `#NUMBER` is Apache's User/Group syntax for an id.
  account: [(v) => /^(?:[^\s:/#-][^\s:/]*|#\d{1,10})$/.test(v), 'a user or group name (no spaces, : or /, not starting with -) or #NUMBER'],
  'file-name': [(v) => !v.includes('/') && v !== '.' && v !== '..', 'a file name without /'],
  'entry-point': [() => true, 'a script path, module name or .ini path'],
  text: [() => true, 'printable text'],
  'environ-value': [() => true, 'printable text, or nothing'],
  'http-error-status': [(v) => /^[45]\d\d$/.test(v), 'an HTTP error status from 400 to 599'],
  'proxy-header': [(v) => proxyHeaderName(v) !== undefined, `one of ${Object.keys(PROXY_HEADERS).join(', ')}`],
  // The name becomes the process group `service:NAME` and display-name: a word Apache and
  // ps show as it is.
  'service-name': [(v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(v), 'a service name: letters, digits, _, . and - (at most 64, not starting with . or -)'],
  // What mod_proxy_http can reach without TLS: an HTTP server by address, or one on a unix
  // socket (mod_proxy's unix:PATH|URL form, https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass).
  'proxy-url': [
    isProxyUrl,
    'http://HOST[:PORT][/PATH] or unix:/SOCKET-PATH|http://HOST[/PATH] (no spaces; https back ends need SSLProxyEngine: use --include-file)',
  ],
  // What mod_md sends as the account's contact (mailto:ADDRESS): one address, no spaces.
  email: [(v) => /^[^\s@<>()[\]",;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v), 'an e-mail address (NAME@DOMAIN)'],
  // RFC 8555 directory URLs are https; mod_md also takes http (a CA on a private network).
  'acme-url': [(v) => /^https?:\/\/[^\s/?#]+(?:[/?][^\s]*)?$/.test(v), 'an ACME directory URL, https://HOST[:PORT]/PATH'],
  cidr: [isCidr, 'an IPv4 or IPv6 address, or a network as ADDRESS/PREFIX-LENGTH (10.0.0.0/8, fd00::/8)'],
};

/** `http://HOST[:PORT][/PATH]` or `unix:/PATH|http://…`: the back ends mod_proxy_http reaches without TLS. */
export function isProxyUrl(v: string): boolean {
  const bar = v.indexOf('|');
  if (v.startsWith('unix:')) {
    if (bar < 0 || !v.startsWith('unix:/') || v.indexOf('|', bar + 1) >= 0) return false;
    return isProxyUrl(v.slice(bar + 1));
  }
  if (bar >= 0 || /\s/.test(v)) return false;
  const m = /^http:\/\/([^/?#]+)(\/[^#]*)?$/.exec(v);
  if (!m) return false;
  const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(m[1]);
  if (!hostPort || (hostPort[2] !== undefined && Number(hostPort[2]) > 65535)) return false;
  const host = hostPort[1];
  return host.startsWith('[') ? net.isIPv6(host.slice(1, -1)) : net.isIPv4(host) || HOST_NAME.test(host);
}

/**
 * Checks a string against a {@link Format}.
 *
 * @param secret true for values that must not be echoed (a `--setenv` value)
 * @returns `raw`, unchanged
 * @throws {UsageError} an empty value, a control character, or a value not of the format
 */
export function checkFormat(raw: string, format: Format, origin: string, secret = false): string {
  checkPrintable(raw, origin, secret);
  const [ok, what] = FORMATS[format];
  // An empty value is a mistake everywhere but in the environ (`SetEnv FEATURE ""`).
  if (raw === '' && format === 'environ-value') return raw;
  if (raw === '' || !ok(raw)) throw new UsageError(`${origin}: ${JSON.stringify(raw)} is not allowed; allowed: ${what}`);
  return raw;
}

/**
 * The one spelling the plan sees, for the options a user may spell several ways: `--host`
 * without the brackets of an IPv6 address (`[::1]` → `::1`), a `--trust-proxy-header` as the
 * header table spells it (`x-forwarded-for` → `X-Forwarded-For`, so a header given twice in
 * two spellings is one).
 */
const CANONICAL: Partial<Record<OptionName, (value: string) => string>> = {
  host: unbracketHost,
  'trust-proxy-header': (name) => proxyHeaderName(name) ?? name,
};

/** A checked value in its option's one spelling ({@link CANONICAL}); any other value unchanged. */
export function canonical(name: OptionName, value: string): string {
  return CANONICAL[name]?.(value) ?? value;
}

/** Boolean words accepted for a flag's value (`--access-log=off`, `WHISK_ACCESS_LOG=0`). */
export function parseBoolean(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'no'].includes(v)) return false;
  return undefined;
}

/**
 * Converts a single (non-repeatable) raw value to the option's type.
 *
 * @returns a number (integer), boolean (flag) or string (choice, string)
 * @throws {UsageError} a value of the wrong type, out of range or of the wrong format
 */
export function convert(name: OptionName, raw: string, origin: string): number | string | boolean {
  const s = specOf(name);
  checkPrintable(raw, origin);
  const fail = (): never => {
    throw new UsageError(`${origin}: ${JSON.stringify(raw)} is not allowed; allowed: ${allowed(s)}`);
  };
  switch (s.kind) {
    case 'integer': {
      if (!/^\s*-?\d+\s*$/.test(raw)) fail();
      const v = Number(raw);
      if (v < s.min || v > s.max) fail();
      return v;
    }
    case 'choice':
      if (!s.choices.includes(raw)) fail();
      return raw;
    case 'boolean':
      return parseBoolean(raw) ?? fail();
    case 'string':
      return canonical(name, checkFormat(raw, s.format, origin));
    default:
      throw new Error(`convert: --${name} is repeatable`);
  }
}
