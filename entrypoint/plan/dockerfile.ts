/**
 * The command an image built from a Dockerfile runs, read from the Dockerfile itself, for the
 * start cache (system/start-cache.ts): whisk:onbuild's triggers run before the app's own
 * CMD line is read, so the build learns the CMD from the file the onbuild COPY brought in.
 * A guess, never trusted: each start compares the arguments it really got (start-key.sh).
 * Only the plain case is read; anything else gives no command, and every start plans as usual.
 */

/** Instructions after which a start would see something the build's step did not. */
const CHANGES_THE_START = new Set(['ENV', 'USER', 'WORKDIR', 'ENTRYPOINT', 'SHELL', 'ONBUILD']);

/**
 * The last stage's CMD in exec form (a JSON array of strings), with the leading `whisk start`
 * of `CMD ["whisk", "start", …]` removed.
 *
 * @param text the Dockerfile (or Containerfile)
 * @returns the arguments `whisk start` will get, or undefined when the file has a parser
 *   directive, a heredoc, no CMD in exec form in its last stage, or an ENV, USER, WORKDIR,
 *   ENTRYPOINT, SHELL or ONBUILD line in that stage
 *   (https://docs.docker.com/reference/dockerfile/)
 */
export function dockerfileCommand(text: string): string[] | undefined {
  if (/^\s*#\s*(escape|syntax|check)\s*=/im.test(text) || text.includes('<<')) return undefined;
  // Instructions: comment lines dropped, continuation lines (a trailing backslash) joined.
  const instructions: string[] = [];
  let current = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    current += continued ? line.replace(/\\\s*$/, '') : line;
    if (!continued) {
      if (current.trim()) instructions.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) instructions.push(current.trim());
  let cmd: string | undefined;
  for (const instruction of instructions) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/s.exec(instruction) ?? [];
    const name = keyword.toUpperCase();
    if (name === 'FROM') cmd = undefined;
    else if (CHANGES_THE_START.has(name)) cmd = '';
    else if (name === 'CMD' && cmd !== '') cmd = rest;
  }
  if (!cmd) return undefined;
  let words: unknown;
  try {
    words = JSON.parse(cmd);
  } catch {
    return undefined;
  }
  if (!Array.isArray(words) || !words.every((w): w is string => typeof w === 'string')) return undefined;
  if (words[0] === 'whisk') return words[1] === 'start' ? words.slice(2) : undefined;
  return words;
}
