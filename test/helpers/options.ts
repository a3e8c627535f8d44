/**
 * Unit-test helpers: catching a UsageError (exit 2) and parsing a command line.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { UsageError } from '../../entrypoint/errors.js';
import { mergeLayers, parseArgv } from '../../entrypoint/options/parse.js';
import { CONTROL } from '../../entrypoint/options/printable.js';

/** Runs `fn`, expects a UsageError with exit status 2, returns its message. */
export function usageFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

/** Merges one command-line layer. */
export const cmd = (argv: string[]) => mergeLayers([parseArgv(argv, 'cmd', 'the command line')]);

/** Printable strings for property tests: any Unicode but the C0 controls (tab aside) and DEL. */
export const printable = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !CONTROL.test(s));
