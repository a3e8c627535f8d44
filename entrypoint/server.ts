/**
 * The I/O edge of `whisk start`: run app hooks, write the server root, and hand the final
 * Apache argv to the shell launcher, which `exec`s it (Node cannot exec), so Apache becomes
 * tini's direct child and nothing of whisk stays resident.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { quote } from 'shell-quote';
import { StepError } from './errors.js';
import type { ViewModel } from './config.js';

/** Writes a line to stderr, prefixed `whisk: `. */
export function log(message: string): void {
  process.stderr.write(`whisk: ${message}\n`);
}

/**
 * Runs `.whisk/hooks/NAME` in `appDir` if it exists, with `appDir` as working directory and
 * the current environment. A hook that is not executable is run with `sh`, with a warning
 * (mod_wsgi-docker skipped it silently, which hides mistakes).
 *
 * @returns true if the hook existed and ran
 * @throws {StepError} the hook exited non-zero or was killed; the message names the hook
 *   and its exit status
 */
export async function runHook(appDir: string, name: 'pre-build' | 'build' | 'deploy'): Promise<boolean> {
  const hook = path.join(appDir, '.whisk', 'hooks', name);
  if (!fs.existsSync(hook)) return false;
  let file = hook;
  let args: string[] = [];
  try {
    fs.accessSync(hook, fs.constants.X_OK);
  } catch {
    log(`warning: .whisk/hooks/${name} is not executable; running it with sh (chmod +x it to use its #! line)`);
    file = 'sh';
    args = [hook];
  }
  log(`running .whisk/hooks/${name}`);
  await runStep(`.whisk/hooks/${name}`, file, args, appDir);
  return true;
}

/**
 * Runs one command with whisk's own stdout and stderr, from `cwd`.
 *
 * @param label what to call the step in the error, e.g. `.whisk/hooks/build`
 * @param env extra environment variables (the current environment is kept)
 * @throws {StepError} `LABEL failed (exit status N)` (or the signal) when it fails
 */
export async function runStep(label: string, file: string, args: string[], cwd: string, env?: Record<string, string>): Promise<void> {
  const result = await execa(file, args, { cwd, env, stdout: ['inherit'], stderr: ['inherit'], stdin: 'ignore', reject: false });
  if (result.failed) {
    const why = result.exitCode !== undefined ? `exit status ${result.exitCode}` : (result.signal ?? result.shortMessage);
    throw new StepError(`${label} failed (${why})`);
  }
}

/**
 * Creates the server root (group-writable, so any uid in group 0 can use it) and writes the
 * rendered files into it. Only whisk's own files are touched: leftovers of an earlier run
 * (pid file, mod_wsgi sockets) are removed; nothing else in the directory is.
 *
 * @param view the view model (server root, document root, mount directory)
 * @param files file name → contents, from renderFiles
 */
export function writeServerRoot(view: ViewModel, files: Record<string, string>): void {
  fs.mkdirSync(view.serverRoot, { recursive: true, mode: 0o775 });
  for (const entry of fs.readdirSync(view.serverRoot)) {
    if (entry === 'httpd.pid' || /^wsgi\..*\.sock$/.test(entry)) fs.rmSync(path.join(view.serverRoot, entry), { force: true });
  }
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(view.serverRoot, name), text, { mode: 0o664 });
  }
  if (view.documentRoot.startsWith(view.serverRoot + path.sep)) fs.mkdirSync(view.documentRoot, { recursive: true });
  if (view.mountDirectory !== view.documentRoot) fs.mkdirSync(view.mountDirectory, { recursive: true });
}

/**
 * Hands the final argv to the launcher through the file descriptor named by
 * `WHISK_EXEC_FD` (set by the launcher), as one shell-quoted line it `exec`s.
 *
 * @throws {StepError} when whisk was not started through its launcher
 */
export function handOver(argv: string[]): void {
  const fd = Number(process.env.WHISK_EXEC_FD);
  if (!Number.isInteger(fd) || fd < 3) {
    throw new StepError('whisk start must be run through the whisk launcher (the `whisk` command), which execs Apache');
  }
  fs.writeSync(fd, quote(argv) + '\n');
}
