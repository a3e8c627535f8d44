/**
 * Running programs for `whisk start` and `whisk build`: the app's hooks
 * (`.whisk/hooks/NAME`) and the build steps, each with whisk's own stdout and stderr, a
 * failure named by its step (execa).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Account } from './accounts.js';
import { StepError } from '../errors.js';
import { log } from './log.js';

/**
 * The PATH the container gave whisk's launcher (`WHISK_APP_PATH`, the virtual environment's
 * bin first in whisk:onbuild), for what runs as the application; whisk's own steps run with
 * the system's directories only (launcher.sh).
 */
export function appPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WHISK_APP_PATH ?? env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
}

/**
 * Runs `.whisk/hooks/NAME` in `appDir` if it exists, with `appDir` as working directory and
 * the current environment. A hook that is not executable is run with `sh`, with a warning
 * (mod_wsgi-docker skipped it silently, which hides mistakes).
 *
 * @param runAs run the hook as this account (the deploy hook when whisk runs as root: the
 *   application's user can write the hook, so root never runs it)
 * @returns true if the hook existed and ran
 * @throws {StepError} the hook exited non-zero or was killed; the message names the hook
 *   and its exit status
 */
export async function runHook(appDir: string, name: 'pre-build' | 'build' | 'deploy', runAs?: Account): Promise<boolean> {
  const hook = path.join(appDir, '.whisk', 'hooks', name);
  if (!fs.existsSync(hook)) return false;
  let file = hook;
  let args: string[] = [];
  try {
    fs.accessSync(hook, fs.constants.X_OK);
  } catch {
    log(`warning: .whisk/hooks/${name} is not executable; running it with sh (chmod +x it to use its #! line)`);
    file = '/bin/sh';
    args = [hook];
  }
  log(`running .whisk/hooks/${name}${runAs ? ` as ${runAs.user} (uid ${runAs.uid})` : ''}`);
  // The application's PATH, which the launcher keeps aside (whisk itself runs with the
  // system's): the hook is the application's code.
  const env = { PATH: appPath(), ...(runAs ? { HOME: runAs.home, USER: runAs.user, LOGNAME: runAs.user } : {}) };
  await runStep(`.whisk/hooks/${name}`, file, args, appDir, runAs ? { env, uid: runAs.uid, gid: runAs.gid } : { env });
  return true;
}

/**
 * Runs one command with whisk's own stdout and stderr, from `cwd`.
 *
 * @param label what to call the step in the error, e.g. `.whisk/hooks/build`
 * @param opts `env`: extra environment variables (the current environment is kept);
 *   `uid`/`gid`: run as that account (Node drops supplementary groups too)
 * @throws {StepError} `LABEL failed (exit status N)` (or the signal) when it fails
 */
export async function runStep(
  label: string,
  file: string,
  args: string[],
  cwd: string,
  opts: { env?: Record<string, string>; uid?: number; gid?: number } = {},
): Promise<void> {
  // Loaded when first needed: node:child_process and execa's other modules cost a start
  // that runs no hook about 40 ms in the container (bench/README.md "Benchmark", memory and start-up).
  const { execa } = await import('execa');
  const result = await execa(file, args, { cwd, ...opts, stdout: ['inherit'], stderr: ['inherit'], stdin: 'ignore', reject: false });
  if (result.failed) {
    const why = result.exitCode !== undefined ? `exit status ${result.exitCode}` : (result.signal ?? result.shortMessage);
    throw new StepError(`${label} failed (${why})`);
  }
}
