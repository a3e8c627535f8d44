import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteWord, splitWords, WordSyntaxError } from '../../../entrypoint/options/words.js';
import { printable } from '../../helpers/options.js';

describe('the word syntax', () => {
  it.each([
    ['a b\tc', ['a', 'b', 'c']],
    ['\'a b\' "c d"', ['a b', 'c d']],
    ["a'b c'd", ['ab cd']],
    ['"say \\"hi\\" \\\\ \\n"', ['say "hi" \\ \\n']],
    ["'\\'", ['\\']],
    ['a\\ b', ['a b']],
    ['$HOME ${PATH} $(id) `id` *.py ~ a&b a;b a|b #x', ['$HOME', '${PATH}', '$(id)', '`id`', '*.py', '~', 'a&b', 'a;b', 'a|b', '#x']],
    ["''", ['']],
    ['   ', []],
  ])('splits %j into %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it('has comments only in files, and only at the start of a word', () => {
    expect(splitWords('a #b c\nd e#f', true)).toEqual(['a', 'd', 'e#f']);
    expect(splitWords("'#a' b", true)).toEqual(['#a', 'b']);
  });

  it.each(["'open", '"open', 'trailing\\'])('refuses %j', (text) => {
    expect(() => splitWords(text)).toThrow(WordSyntaxError);
  });

  it('round-trips every printable string through quoteWord', () => {
    fc.assert(
      fc.property(printable, (s) => {
        expect(splitWords(quoteWord(s))).toEqual([s]);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips lists of words', () => {
    fc.assert(
      fc.property(fc.array(printable, { maxLength: 6 }), (words) => {
        expect(splitWords(words.map(quoteWord).join(' '))).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });
});
