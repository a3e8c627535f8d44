/** whisk's own start-log lines, on stderr (the container log), each prefixed `whisk: `. */

/** Writes `whisk: MESSAGE` and a newline to stderr. */
export function log(message: string): void {
  process.stderr.write(`whisk: ${message}\n`);
}
