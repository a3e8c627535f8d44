import { describe, expect, it } from 'vitest';
import { isIdentifier, isModuleName } from '../../../entrypoint/options/python-names.js';

describe('Python names', () => {
  it.each(['application', '_app', 'app2', 'приложение', 'café', 'ℕ'])('%j is an identifier', (n) => expect(isIdentifier(n)).toBe(true));
  it.each(['', '2app', 'app()', 'a-b', 'a.b', 'a b', 'a:b'])('%j is not', (n) => expect(isIdentifier(n)).toBe(false));
  it('takes dotted module names of identifiers', () => {
    expect(['example.wsgi', 'app', 'pkg._private.mod', 'société.wsgi'].every(isModuleName)).toBe(true);
    expect(['example.', '.wsgi', 'a..b', 'a.2b', 'a/b'].some(isModuleName)).toBe(false);
  });
});
