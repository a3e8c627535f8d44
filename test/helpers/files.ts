/**
 * File trees for tests: a new directory under the system's temporary directory holding the
 * given files, written once here for every test that needs one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes `files` (relative path → contents) under `dir`, making directories as needed.
 *
 * @param mode each file's mode, from its relative path (default 0644)
 */
export function writeTree(dir: string, files: Record<string, string>, mode: (rel: string) => number = () => 0o644): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode: mode(rel) });
  }
}

/**
 * A new directory `/tmp/whisk-NAME-XXXXXX` (mode 0755, so a daemon's user can read it)
 * holding `files`.
 */
export function tempTree(name: string, files: Record<string, string> = {}, mode?: (rel: string) => number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `whisk-${name}-`));
  fs.chmodSync(dir, 0o755);
  writeTree(dir, files, mode);
  return dir;
}

/** The directory of the test applications: real Python files, linted with the runtime (npm run lint). */
export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'apps');

/** The text of the test application `name` in {@link FIXTURES} (`probe.wsgi`, `asgi-starlette.py`…). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}
