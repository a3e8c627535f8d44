/**
 * POSIX shell syntax, for the words whisk writes into a shell script (acme-message) or
 * prints for a shell (`whisk config`'s command line).
 */

/**
 * Words as a POSIX shell reads them back, exactly: a word of safe characters as it is, any
 * other in single quotes (a quote in it as `'\''`), so nothing in it expands.
 *
 * @param words any strings (a NUL cannot be carried by a shell word: the caller never has one)
 * @returns the words joined by single spaces
 */
export function shellWords(words: string[]): string {
  return words.map((w) => (/^[\w./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(' ');
}
