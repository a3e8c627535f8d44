/**
 * The hand-over: whisk's last act in `whisk start` and `whisk run`. Node cannot exec, so what
 * to run goes to the shell launcher (launcher.sh), which `exec`s it: the command the plan
 * states (plan/config/command.ts) or the program replaces the launcher as PID 1's child, and
 * no Node stays resident (with `--shutdown-delay` or an ASGI application, the supervisor's
 * shell stays as Apache's parent, as that command says).
 */
import fs from 'node:fs';
import { StepError } from '../errors.js';

/**
 * Hands `lines` to the launcher through the file descriptor named by `WHISK_EXEC_FD` (set by
 * the launcher): for `whisk start` the command to exec, a word a line (the plan's `argv`),
 * for `whisk run` the working directory, the PYTHONPATH, and (as root) the uid, gid and home
 * of `--user` to drop to. Only these values cross, one a
 * line (none holds a newline: every value was checked); the launcher evaluates nothing.
 *
 * @throws {StepError} when whisk was not started through its launcher
 */
export function handOver(command: 'start' | 'run', lines: string[]): void {
  fs.writeSync(checkLauncher(command), lines.join('\n'));
}

/**
 * The launcher's descriptor (`WHISK_EXEC_FD`, which the launcher sets for Node alone).
 *
 * @throws {StepError} when whisk was not started through its launcher
 */
export function checkLauncher(command: 'start' | 'run'): number {
  const fd = Number(process.env.WHISK_EXEC_FD);
  if (!Number.isInteger(fd) || fd < 3) {
    throw new StepError(`whisk ${command} must be run through the whisk launcher (the \`whisk\` command), which execs what it prepared`);
  }
  return fd;
}
