/**
 * `whisk build`: the ONBUILD steps of `whisk:onbuild`, run as root at `docker build` time.
 *
 * Stage `dependencies` (from a staging copy of requirements.txt, apt-packages.txt and
 * .whisk/, so editing app code does not reinstall them): Debian packages from
 * apt-packages.txt, `.whisk/hooks/pre-build`, the virtual environment
 * (`--system-site-packages`, so Debian's python3-* packages satisfy requirements) and
 * `pip install -r requirements.txt`.
 * Stage `application` (in /app, after the whole app is copied): `.whisk/hooks/build`,
 * precompressing text files (system/precompress.ts), byte-compiling the app, and making the
 * app group-0 writable so an arbitrary uid in group 0 can run it, and the virtual environment
 * and .whisk/ writable by root alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { readAptPackages } from '../system/apt-packages.js';
import { log } from '../system/log.js';
import { precompress } from '../system/precompress.js';
import { runHook, runStep } from '../system/steps.js';
import { DIST_DIR } from '../system/runtime.js';
import { startPlan, writeStartCache } from '../system/start-cache.js';

async function step(name: string, file: string, args: string[], cwd: string, env?: Record<string, string>): Promise<void> {
  log(`${name}: ${file} ${args.join(' ')}`);
  await runStep(`whisk build: step "${name}"`, file, args, cwd, { env });
}

/**
 * Installs the app's dependencies from `dir` (the staging copy of its manifests).
 *
 * @param dir directory holding requirements.txt / apt-packages.txt / .whisk (all optional)
 * @param venv virtual environment to create (`$VIRTUAL_ENV`, /opt/venv in the image)
 * @throws {StepError} a failing step, named
 * @throws {UsageError} a malformed apt-packages.txt
 */
async function buildDependencies(dir: string, venv: string): Promise<void> {
  const apt = path.join(dir, 'apt-packages.txt');
  if (fs.existsSync(apt)) {
    const pkgs = readAptPackages(apt);
    if (pkgs.length) {
      const env = { DEBIAN_FRONTEND: 'noninteractive' };
      await step('apt-packages.txt (apt-get update)', 'apt-get', ['update', '-q'], dir, env);
      await step('apt-packages.txt (apt-get install)', 'apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], dir, env);
      await step('apt-packages.txt (clean up)', 'sh', ['-c', 'apt-get clean && rm -rf /var/lib/apt/lists/*'], dir);
      // As in the base image: no setuid or setgid binaries, whatever the packages brought.
      await step('apt-packages.txt (no setuid)', 'find', ['/', '-xdev', '-type', 'f', '-perm', '/6000', '-exec', 'chmod', 'a-s', '{}', '+'], dir);
    }
  }
  await runHook(dir, 'pre-build');
  const req = path.join(dir, 'requirements.txt');
  if (!fs.existsSync(path.join(venv, 'pyvenv.cfg'))) {
    // pip goes into the environment only when there is something for it to install.
    await step('virtual environment', 'python3', ['-m', 'venv', '--system-site-packages', ...(fs.existsSync(req) ? [] : ['--without-pip']), venv], dir);
  }
  if (fs.existsSync(req)) {
    await step(
      'requirements.txt (pip install)',
      path.join(venv, 'bin', 'python'),
      ['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--root-user-action=ignore', '-r', req],
      dir,
    );
  }
}

/**
 * Finishes the application in `appDir`: the build hook (which may collect static files),
 * `.br` and `.gz` variants of its text files, byte-compiling (so a read-only container
 * writes no bytecode and starts faster), group-0 permissions.
 *
 * @throws {StepError} a failing hook, compressor or permission change
 */
async function buildApplication(appDir: string, venv: string): Promise<void> {
  await runHook(appDir, 'build');
  const t = await precompress(appDir);
  const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
  log(`precompress: ${t.files} text files, ${kib(t.bytes)}; brotli ${kib(t.brotliBytes)}, gzip ${kib(t.gzipBytes)}`);
  const py = fs.existsSync(path.join(venv, 'bin', 'python')) ? path.join(venv, 'bin', 'python') : 'python3';
  const { execa } = await import('execa');
  const r = await execa(py, ['-m', 'compileall', '-q', '-j', '0', appDir], { reject: false, stdin: 'ignore' });
  if (r.failed) log('warning: some Python files did not byte-compile; they are compiled when imported');
  // The app is group-0 writable (an arbitrary uid in group 0 runs it). Not what root runs or
  // reads at a start in root mode: the virtual environment (its bin/ is first on the image's
  // PATH) and .whisk/ (hooks, server-args) stay root's alone (docs/user-guide.md "Ports and users").
  await step('permissions', 'chgrp', ['-R', '0', appDir], appDir);
  await step('permissions', 'chmod', ['-R', 'g=u', appDir], appDir);
  const rootOnly = [venv, path.join(appDir, '.whisk')].filter((d) => fs.existsSync(d));
  if (rootOnly.length) {
    if (process.getuid?.() === 0) await step('permissions', 'chown', ['-R', '0:0', ...rootOnly], appDir);
    await step('permissions', 'chmod', ['-R', 'go-w', ...rootOnly], appDir);
  }
}

/** The stages of `whisk build`, in the order the onbuild image runs them. */
const STAGES = ['dependencies', 'application', 'start-cache', 'all'];

/**
 * `whisk build [dependencies|application|start-cache|all] [DIR]`: the onbuild steps (all by
 * default) in DIR (the current directory by default). `start-cache` (after `application`):
 * the start cache for the Dockerfile's CMD (system/start-cache.ts). `whisk build start-plan
 * ARGUMENT...` is that step's own, run as the image's user: it prints the plan as JSON.
 *
 * @throws {UsageError} an unknown stage, or a malformed apt-packages.txt
 * @throws {StepError} a failing step, named
 */
export async function build(argv: string[]): Promise<void> {
  if (argv[0] === 'start-plan') {
    const plan = startPlan(
      argv.slice(1),
      process.cwd(),
      process.env,
      ['whisk.cjs', 'whisk', 'start-key'].map((f) => path.join(DIST_DIR, f)),
    );
    process.stdout.write(JSON.stringify(plan));
    return;
  }
  const [stage = 'all', dir] = argv;
  if (!STAGES.includes(stage)) {
    throw new UsageError(`whisk build: stage ${JSON.stringify(stage)} is unknown; allowed: ${STAGES.join(', ')}`);
  }
  const venv = process.env.VIRTUAL_ENV ?? '/opt/venv';
  const appDir = path.resolve(dir ?? process.cwd());
  if (stage !== 'application') await buildDependencies(appDir, venv);
  if (stage === 'application' || stage === 'all') await buildApplication(appDir, venv);
  if (stage !== 'dependencies') {
    // Never fails the build: without a cache every start plans as before.
    const made = await writeStartCache(appDir).catch((error: unknown) => `none: ${error instanceof Error ? error.message : String(error)}`);
    log(`start cache: ${made}`);
  }
}
