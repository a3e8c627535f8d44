/**
 * `whisk config`'s command line is read back by a POSIX shell (Debian's dash) as the very
 * words `whisk start` execs, whatever they hold.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellWords } from '../../entrypoint/plan/shell.js';

describe('whisk config: the command line', () => {
  it('is read back by a shell as the same words', () => {
    const words = fc.sample(
      fc.array(
        fc.string({ unit: 'binary', minLength: 0, maxLength: 12 }).filter((w) => !w.includes('\0')),
        { minLength: 1, maxLength: 4 },
      ),
      { numRuns: 50, seed: 3 },
    );
    for (const w of words) {
      const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellWords(w)}`], { encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual(w);
    }
  });
});
