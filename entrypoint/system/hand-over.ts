/**
 * The hand-over: whisk's last act in `whisk start`. Node cannot exec, so the path of the
 * generated httpd.conf goes to the shell launcher (launcher.sh), which `exec`s Apache: Apache
 * becomes PID 1's direct child and nothing of whisk stays resident.
 */
import fs from 'node:fs';
import { StepError } from '../errors.js';

/**
 * Hands the generated httpd.conf to the launcher through the file descriptor named by
 * `WHISK_EXEC_FD` (set by the launcher), which runs `apache2 -f FILE -DFOREGROUND`. Only
 * the path crosses; the launcher evaluates nothing.
 *
 * @throws {StepError} when whisk was not started through its launcher
 */
export function handOver(configFile: string): void {
  const fd = Number(process.env.WHISK_EXEC_FD);
  if (!Number.isInteger(fd) || fd < 3) {
    throw new StepError('whisk start must be run through the whisk launcher (the `whisk` command), which execs Apache');
  }
  fs.writeSync(fd, configFile);
}
