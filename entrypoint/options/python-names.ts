/**
 * Python names as the language defines them (https://docs.python.org/3/reference/lexical_analysis.html#identifiers):
 * an identifier starts with a letter or `_` and goes on with letters, digits, marks and
 * connector punctuation, non-ASCII letters included (PEP 3131). The one home of the
 * pattern used for `--callable-object` and for module entry points (`pkg.mod:callable`).
 */

const IDENTIFIER = String.raw`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*`;

/** True for a Python identifier: `application`, `app_v2`, `приложение`. */
export function isIdentifier(name: string): boolean {
  return new RegExp(`^${IDENTIFIER}$`, 'u').test(name);
}

/** True for a dotted module name: `example.wsgi`, `app`. */
export function isModuleName(name: string): boolean {
  return new RegExp(`^${IDENTIFIER}(?:\\.${IDENTIFIER})*$`, 'u').test(name);
}
