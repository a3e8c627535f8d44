/**
 * The word syntax of repeatable `WHISK_*` values (`WHISK_SETENV`, `WHISK_URL_ALIAS`,
 * `WHISK_PYTHON_PATH`, `WHISK_PASSENV`) and of `.whisk/server-args`: the quoting of a POSIX
 * shell, without any of its expansions.
 *
 * - Words are separated by unquoted white space.
 * - `'...'` is taken literally, whatever it holds (no escapes inside).
 * - `"..."` is taken literally except `\"` (a quote) and `\\` (a backslash).
 * - Outside quotes, `\x` is `x`.
 * - Quoted and unquoted parts next to each other make one word: `a'b c'` is `ab c`.
 * - Nothing is expanded: `$`, `${...}`, `*`, `~`, `&`, `;`, `|` are ordinary characters.
 * - Only in a file, an unquoted `#` at the start of a word starts a comment to the end of the line.
 *
 * Every string round-trips: `splitWords(quoteWord(s)) = [s]` (see the property test).
 */

/** The text could not be split: an unclosed quote or a lone trailing backslash. */
export class WordSyntaxError extends Error {}

/**
 * Splits text into words.
 *
 * @param text the value of an environment variable or the contents of a file
 * @param comments true for files: `#` at the start of an unquoted word starts a comment
 * @returns the words, in order
 * @throws {WordSyntaxError} an unclosed `'` or `"`, or a `\` at the very end
 */
export function splitWords(text: string, comments = false): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (comments && c === '#' && !inWord) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new WordSyntaxError(`a ' opened at character ${i + 1} is never closed`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) throw new WordSyntaxError(`a " opened at character ${i + 1} is never closed`);
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new WordSyntaxError('a \\ at the end escapes nothing');
      word += text[++i];
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Quotes one string as a word of this syntax: unchanged when it has only safe characters,
 * else in single quotes (a `'` inside becomes `'\''`).
 *
 * @example quoteWord("s3cr3t$#&") === "'s3cr3t$#&'"
 */
export function quoteWord(s: string): string {
  if (/^[A-Za-z0-9_/.:,=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}
