/**
 * The facts about this machine the plan needs, read once at the start: the container's
 * limits, the virtual environment, Debian's paths, and a new health token.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR } from '../plan/render.js';
import type { Runtime } from '../plan/config/context.js';
import { readLimits } from './cgroups.js';

/** whisk's dist/ (the bundle, the launcher, the key script): beside the templates (/opt/whisk/dist in the image). */
export const DIST_DIR = path.resolve(TEMPLATES_DIR, '..', 'dist');

/**
 * Reads the runtime facts.
 *
 * @param env `VIRTUAL_ENV` (used when it holds a pyvenv.cfg), `WHISK_APACHE_BINARY` (tests)
 * @param uid the uid whisk runs as (0: Apache drops to --user/--group)
 */
export function readRuntime(env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? 0): Runtime {
  const venv = env.VIRTUAL_ENV;
  return {
    uid,
    apacheBinary: env.WHISK_APACHE_BINARY ?? '/usr/sbin/apache2',
    modulesDir: '/usr/lib/apache2/modules',
    mimeTypes: '/etc/mime.types',
    pythonHome: '/usr',
    python: '/usr/bin/python3',
    // Beside the templates: /opt/whisk/runtime in the image, runtime/ in the repository.
    pythonRuntime: path.resolve(TEMPLATES_DIR, '..', 'runtime'),
    distDir: DIST_DIR,
    underInit: underDumbInit(),
    virtualEnv: venv && path.isAbsolute(venv) && fs.existsSync(path.join(venv, 'pyvenv.cfg')) ? venv : undefined,
    limits: readLimits(),
    healthToken: randomBytes(16).toString('hex'),
  };
}

/** Whether PID 1 is Debian's dumb-init (the image's entry point), from /proc/1/cmdline. */
function underDumbInit(): boolean {
  try {
    return path.basename(fs.readFileSync('/proc/1/cmdline', 'latin1').split('\0')[0]) === 'dumb-init';
  } catch {
    return false;
  }
}
