import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apacheDirectory, apacheQuote, LITERAL_DOLLAR } from '../../../entrypoint/plan/apache.js';
import { printable, usageFailure } from '../../helpers/options.js';

/**
 * Reads one quoted argument back as Apache does: ap_resolve_env over the line (with
 * WHISK_LITERAL_DOLLAR defined as "$" and every other ${NAME} defined, to catch expansion),
 * then ap_getword_conf's unescaping of \\ and \" inside "...".
 * (httpd server/util.c: ap_resolve_env, substring_conf.)
 */
function apacheReads(arg: string): string {
  const resolved = arg.replace(/\$\{([^}]*)\}/g, (_, name: string) => (name === LITERAL_DOLLAR ? '$' : `<${name} EXPANDED>`));
  expect(resolved.startsWith('"') && resolved.endsWith('"')).toBe(true);
  let out = '';
  const body = resolved.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && (body[i + 1] === '\\' || body[i + 1] === '"')) out += body[++i];
    else if (body[i] === '"') throw new Error(`unescaped quote inside ${arg}`);
    else out += body[i];
  }
  return out;
}

describe('apacheQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['/app/my static', '"/app/my static"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\dir\\', '"C:\\\\dir\\\\"'],
    ['s3cr3t-${PATH}-x', `"s3cr3t-\${${LITERAL_DOLLAR}}{PATH}-x"`],
    ['$${a}', `"$\${${LITERAL_DOLLAR}}{a}"`],
    ['#not a comment', '"#not a comment"'],
    ['tab\there', '"tab\there"'],
    ['', '""'],
  ])('quotes %j as %s', (value, quoted) => {
    expect(apacheQuote(value)).toBe(quoted);
    expect(apacheReads(quoted)).toBe(value);
  });

  it('writes numbers as they are', () => {
    expect(apacheQuote(8000)).toBe('8000');
  });

  it.each(['a\nInclude /etc/x', 'a\rb', 'a\u0000b', 'a\u007fb', 'a\u001bb'])('refuses %j, naming the option', (value) => {
    expect(usageFailure(() => apacheQuote(value, '--working-directory'))).toMatch(
      /^--working-directory: .* contains (a newline|a carriage return|a NUL|a control character) \(U\+00[0-9A-F]{2}\), which Apache's configuration cannot carry/,
    );
  });

  it('reads back exactly as written for every printable string', () => {
    fc.assert(
      fc.property(printable, (s) => {
        expect(apacheReads(apacheQuote(s))).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('apacheDirectory', () => {
  it.each(['/app/static*', '/app/st?tic', '/app/[a]'])('refuses the <Directory> wildcard in %j', (dir) => {
    expect(usageFailure(() => apacheDirectory(dir, '--url-alias /s'))).toMatch(/^--url-alias \/s: .* a wildcard in Apache's <Directory>/);
  });
  it('accepts other paths', () => {
    expect(apacheDirectory('/app/a b]$#', '--document-root')).toBe('/app/a b]$#');
  });
});
