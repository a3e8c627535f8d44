/**
 * The one way a value enters Apache's configuration syntax. Every `{{value}}` of
 * httpd.conf.mustache goes through {@link apacheQuote} (render.ts sets it as Mustache's
 * escape function), so no value is ever written raw.
 *
 * What Apache does to an argument, and how each is defeated:
 * - `ap_getword_conf` splits on white space and reads `"..."` with `\"` and `\\` escapes
 *   (https://httpd.apache.org/docs/2.4/configuring.html#syntax): the value is quoted and
 *   `\` and `"` are escaped.
 * - Every line is run through `ap_resolve_env` before it is split, which replaces `${NAME}`
 *   with a `Define`d or environment variable: each `${` in a value is written as
 *   `${WHISK_LITERAL_DOLLAR}{`, and httpd.conf defines WHISK_LITERAL_DOLLAR as `$`
 *   (the replacement text is not scanned again).
 * - A line ends at a newline and continues after a trailing `\`: newlines, carriage returns,
 *   NUL and the other control characters (tab excepted) cannot be written and are refused.
 * - `<Directory>` treats `*`, `?` and `[` as wildcards: {@link apacheDirectory} refuses them.
 */
import { UsageError } from '../errors.js';
import { CONTROL, describeControl } from '../options/printable.js';

/** The variable httpd.conf `Define`s as a literal `$`. */
export const LITERAL_DOLLAR = 'WHISK_LITERAL_DOLLAR';

/**
 * Quotes a value as one Apache configuration argument.
 *
 * @param value a string (quoted) or a finite number (written as it is)
 * @param what the option the value came from, for the error, e.g. `--working-directory`
 * @returns `"..."`, which Apache reads back as exactly `value`
 * @throws {UsageError} the value holds a control character (newline, CR, NUL, …) that no
 *   Apache argument can carry
 */
export function apacheQuote(value: string | number, what = 'a value'): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`apacheQuote: ${value} is not a finite number`);
    return String(value);
  }
  const bad = CONTROL.exec(value);
  if (bad) {
    throw new UsageError(
      `${what}: ${JSON.stringify(value)} contains ${describeControl(bad[0])}, which Apache's configuration cannot carry; allowed: printable characters only`,
    );
  }
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, `\${${LITERAL_DOLLAR}}{`);
  return `"${escaped}"`;
}

/**
 * Checks a path for a `<Directory>` (or a name for a `<Files>` section, a URL path for a
 * `<Location>`, or a file for `Include`), where `*`, `?` and `[` are wildcards
 * (https://httpd.apache.org/docs/2.4/mod/core.html#directory,
 * https://httpd.apache.org/docs/2.4/mod/core.html#include) that would grant or read more
 * than the one directory or file.
 *
 * @param section the section the path is for, named in the error
 * @returns `dir`, unchanged
 * @throws {UsageError} the path holds a wildcard character
 */
export function apacheDirectory(dir: string, what: string, section: '<Directory>' | '<Files>' | '<Location>' | 'Include' = '<Directory>'): string {
  const bad = /[*?[]/.exec(dir);
  if (bad)
    throw new UsageError(
      `${what}: ${JSON.stringify(dir)} contains ${JSON.stringify(bad[0])}, a wildcard in Apache's ${section}; allowed: a path without *, ? or [`,
    );
  return dir;
}
