/**
 * Checks and converts one raw option value (a string from the command line, a file or the
 * environment) to its type, before anything starts. Every message names where the value
 * came from, the value and what is allowed.
 */
import net from 'node:net';
import { UsageError } from '../errors.js';
import { isCidr, PROXY_HEADERS, proxyHeaderName } from '../proxy.js';
import { allowed, specOf, type Format, type OptionName } from './table.js';

/** C0 control characters (tab excepted) and DEL: no config syntax can carry them exactly. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?$`);
/** RFC 3986 path characters, without the wildcards `*` and `?` Apache gives a meaning to. */
const URL_PATH = /^\/[A-Za-z0-9\-._~!$&'()+,;=:@%/]*$/;

/** A `--host` without the brackets an IPv6 address may be given in: `[::1]` → `::1`. */
export function unbracketHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
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
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Format → [test, what is allowed]. */
const FORMATS: Record<Format, [(v: string) => boolean, string]> = {
  'path': [() => true, 'a file-system path'],
  'absolute-path': [(v) => v.startsWith('/'), 'an absolute file-system path (starting with /)'],
  'url-path': [(v) => URL_PATH.test(v) && !/(^|\/)\.\.?(\/|$)/.test(v),
    "a URL path starting with / (letters, digits and -._~!$&'()+,;=:@%/; no . or .. segments)"],
  'host': [(v) => net.isIP(unbracketHost(v)) !== 0 || HOST_NAME.test(v), 'an IPv4 or IPv6 address or a host name'],
  'env-name': [(v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v), 'an environment variable name (letters, digits and _, not starting with a digit)'],
  'identifier': [(v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v), 'a Python identifier (letters, digits and _, not starting with a digit)'],
  'account': [(v) => /^(?:[a-z_][a-z0-9_-]{0,31}\$?|#\d{1,10})$/i.test(v), 'a user or group name (letters, digits, _ and -) or #NUMBER'],
  'file-name': [(v) => !v.includes('/') && v !== '.' && v !== '..', 'a file name without /'],
  'entry-point': [() => true, 'a script path, module name or .ini path'],
  'text': [() => true, 'printable text'],
  'http-error-status': [(v) => /^[45]\d\d$/.test(v), 'an HTTP error status from 400 to 599'],
  'proxy-header': [(v) => proxyHeaderName(v) !== undefined, `one of ${Object.keys(PROXY_HEADERS).join(', ')}`],
  'cidr': [isCidr, 'an IPv4 or IPv6 address, or a network as ADDRESS/PREFIX-LENGTH (10.0.0.0/8, fd00::/8)'],
};

/** Names a control character for a message: `a newline (U+000A)`. */
function describeControl(c: string): string {
  const names: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return', '\u0000': 'a NUL' };
  return `${names[c] ?? 'a control character'} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Refuses a value that is empty or holds a character no configuration syntax can carry
 * exactly (newline, carriage return, NUL and the other control characters but tab).
 *
 * @param origin where the value came from, e.g. `--setenv in the command line`
 * @throws {UsageError} naming `origin`, the value and what is allowed
 */
export function checkPrintable(raw: string, origin: string, secret = false): void {
  const bad = CONTROL.exec(raw);
  if (bad) throw new UsageError(`${origin}: ${secret ? 'the value' : JSON.stringify(raw)} contains ${describeControl(bad[0])} at character ${bad.index + 1}; allowed: printable characters only`);
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
  if (raw === '' && secret) throw new UsageError(`${origin}: the value is empty; allowed: ${FORMATS[format][1]}`);
  const [ok, what] = FORMATS[format];
  if (raw === '' || !ok(raw)) throw new UsageError(`${origin}: ${JSON.stringify(raw)} is not allowed; allowed: ${what}`);
  return raw;
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
      return checkFormat(raw, s.format, origin);
    default:
      throw new Error(`convert: --${name} is repeatable`);
  }
}
