/**
 * The start cache: `whisk start`'s plan made once, when the image is built, for the command
 * the image will run (its Dockerfile's CMD), so that a start whose inputs are all the same
 * skips whisk's Node step (~0.15 s) and the launcher execs Apache at once (launcher.sh,
 * `fast_start`). A start is served from it only when the SHA-256 of every input the plan
 * read (start-key.sh: the arguments, `WHISK_*`/`MOD_WSGI_*`/`VIRTUAL_ENV`, the user, the
 * working directory, the CPUs and memory, every file the plan opened, stat'ed or listed,
 * whisk's own files) is the one recorded here; otherwise whisk plans the start as always.
 *
 * Made by `whisk build start-cache` (root, the last onbuild step), which runs the plan as the
 * image's user (`whisk build start-plan`, the same code `whisk start` runs, with every
 * `node:fs` read recorded) and writes `/var/lib/whisk/start-cache/`, root's, read-only to
 * everyone else. Only a start that needs nothing but the plan (and the deploy hook, which
 * the launcher runs as whisk would) is cached: not as root (the account and root-only file
 * checks), not with `--https-port` (certificates, ACME).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { prepare, startLog } from '../plan/prepare.js';
import { TEMPLATES_DIR } from '../plan/render.js';
import { dockerfileCommand } from '../plan/dockerfile.js';
import { DIST_DIR, readRuntime } from './runtime.js';
import { VIRTUAL } from './server-root.js';

/** Where `whisk build start-cache` writes the cache and the launcher reads it. */
export const START_CACHE_DIR = '/var/lib/whisk/start-cache';

/** How the plan read each path (start-key.sh hashes each the same way at every start). */
export interface Inputs {
  /** Opened or read: hashed by contents. */
  read: Set<string>;
  /** stat, exists, access: type, mode and owner (symlinks followed). */
  stat: Set<string>;
  /** lstat, or opened with O_NOFOLLOW: type, mode and owner of the path itself. */
  lstat: Set<string>;
  /** readdir: the entries' names and types. */
  list: Set<string>;
  /** /proc/self/cgroup was read: its `0::` line (the cgroup v2 path) is an input. */
  cgroup: boolean;
}

/**
 * What start-key.sh cannot key, and the launcher checks at each start instead: PID 1
 * (the plan assumes the image's dumb-init, launcher.sh checks it). Anything else under /proc
 * would be per process or per container; a read of one fails the cache (see {@link recordInputs}).
 */
const CHECKED_AT_START = new Set(['/proc/1/cmdline']);

type Patched = 'readFileSync' | 'openSync' | 'statSync' | 'existsSync' | 'accessSync' | 'lstatSync' | 'readdirSync' | 'realpathSync' | 'readlinkSync';
const KIND: Record<Patched, Array<'read' | 'stat' | 'lstat' | 'list'>> = {
  readFileSync: ['read'],
  openSync: ['read', 'lstat'],
  statSync: ['stat'],
  existsSync: ['stat'],
  accessSync: ['stat'],
  lstatSync: ['lstat'],
  readdirSync: ['list'],
  realpathSync: ['stat', 'lstat'],
  readlinkSync: ['lstat'],
};

/**
 * Runs `fn` with every path-taking `node:fs` call it makes recorded (paths made absolute
 * from `cwd`; descriptors are not paths).
 *
 * @throws {Error} when `fn` read a per-process file under /proc other than /proc/self/cgroup
 *   and /proc/1/cmdline (a key could not hold it), or a path with a newline; and whatever `fn` throws
 */
export function recordInputs<T>(cwd: string, fn: () => T): { result: T; inputs: Inputs } {
  const inputs: Inputs = { read: new Set(), stat: new Set(), lstat: new Set(), list: new Set(), cgroup: false };
  const strange: string[] = [];
  const saved = new Map<Patched, unknown>();
  const target = fs as unknown as Record<Patched, (...a: unknown[]) => unknown>;
  for (const name of Object.keys(KIND) as Patched[]) {
    const original = target[name];
    saved.set(name, original);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const p = args[0];
      if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) {
        const file = path.resolve(cwd, p instanceof URL ? p.pathname : p.toString());
        if (file === '/proc/self/cgroup') inputs.cgroup = true;
        else if (CHECKED_AT_START.has(file)) {
          /* checked by the launcher */
        } else if (file.includes('\n') || (file.startsWith('/proc/') && !file.startsWith('/proc/sys/'))) strange.push(file);
        else for (const kind of KIND[name]) inputs[kind].add(file);
      }
      return original.apply(this, args);
    };
  }
  try {
    const result = fn();
    if (strange.length) throw new Error(`the plan read what a start key cannot hold: ${strange.join(', ')}`);
    return { result, inputs };
  } finally {
    for (const [name, original] of saved) (target as Record<string, unknown>)[name] = original;
  }
}

/** What `whisk build start-plan` prints (JSON) for `whisk build start-cache` to write. */
export interface StartPlan {
  /** Why there is no cache for this start (nothing else is set then). */
  skipped?: string;
  /** The server root, which must not exist yet at a cached start (a new container). */
  serverRoot?: string;
  /** Server-root file name → contents, with {@link StartPlan.token} where the health token goes. */
  files?: Record<string, string>;
  /** Directories to make in the server root (the empty document root). */
  emptyDirs?: string[];
  /** The probe directory, and whether `ready` is written at once (static files). */
  probe?: { dir: string; live: string; ready: string; readyAtStart: boolean };
  /** The port Apache listens on (the launcher checks it is free and may be bound). */
  port?: number;
  /** A placeholder for the health token: each cached start writes a new one in its place. */
  token?: string;
  /** The start's log, as `whisk start` writes it. */
  log?: string;
  /** The command the launcher execs (the plan's argv). */
  argv?: string[];
  /** The inputs, one absolute path a line per kind. */
  inputs?: { read: string[]; stat: string[]; lstat: string[]; list: string[]; cgroup: boolean };
}

/**
 * `whisk build start-plan ARGUMENT...`: the plan `whisk start ARGUMENT...` would make here
 * and now, as this user, with its inputs; run by `whisk build start-cache` as the image's
 * user. Refuses (a `skipped` reason) what a cached start could not do the same way.
 *
 * @param bundle whisk's own files, keyed by contents (the bundle, the launcher, the key script)
 */
export function startPlan(argv: string[], cwd: string, env: NodeJS.ProcessEnv, bundle: string[]): StartPlan {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0) return { skipped: 'whisk starts as root (the account and root-only checks run at each start)' };
  const token = randomBytes(16).toString('hex');
  let recorded: ReturnType<typeof recordInputs<ReturnType<typeof prepare>>>;
  try {
    recorded = recordInputs(cwd, () => {
      const runtime = { ...readRuntime(env, uid), underInit: true, healthToken: token };
      // The deploy hook's presence is an input: the launcher runs it at a cached start when
      // it is there (launcher.sh deploy_hook), so adding or removing one changes the key.
      fs.existsSync(path.join(cwd, '.whisk', 'hooks', 'deploy'));
      return prepare(argv, env, cwd, runtime);
    });
  } catch (error) {
    return { skipped: `the plan fails here (${(error as Error).message})` };
  }
  const { result, inputs } = recorded;
  const { view, files } = result;
  if (view.tls) return { skipped: '--https-port (certificates are checked at each start)' };
  if (VIRTUAL.some((v) => view.serverRoot.startsWith(`${v}/`))) return { skipped: `--server-root ${view.serverRoot} (a virtual filesystem)` };
  for (const dir of fs.readdirSync(TEMPLATES_DIR)) inputs.read.add(path.join(TEMPLATES_DIR, dir));
  for (const f of bundle) inputs.read.add(f);
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    serverRoot: view.serverRoot,
    files,
    emptyDirs: view.emptyDirs,
    probe: { ...view.probe, readyAtStart: view.kind === 'static' },
    port: view.port,
    token,
    log: startLog(result)
      .map((l) => `whisk: ${l}\n`)
      .join(''),
    argv: view.argv,
    inputs: { read: sorted(inputs.read), stat: sorted(inputs.stat), lstat: sorted(inputs.lstat), list: sorted(inputs.list), cgroup: inputs.cgroup },
  };
}

/**
 * `whisk build start-cache [DIR]` (root, the last onbuild step): reads the command from
 * DIR's Dockerfile or Containerfile ({@link dockerfileCommand}), has the image's user plan
 * that start (`whisk build start-plan`, through the launcher as a start is), and writes
 * {@link START_CACHE_DIR} anew: the server-root files, the exec line, the log, the input
 * lists and their key (start-key.sh, run as that user with the start's environment). Never
 * fails the build: without a cache every start plans as before.
 *
 * @param appDir the application directory (the image's WORKDIR, /app)
 * @param user the uid and gid the image runs as (1001:0 in whisk:onbuild)
 * @returns what was done, for the build log
 */
export async function writeStartCache(appDir: string, user = { uid: 1001, gid: 0 }, dir = START_CACHE_DIR): Promise<string> {
  fs.rmSync(dir, { recursive: true, force: true });
  const file = ['Dockerfile', 'Containerfile'].map((f) => path.join(appDir, f)).find((f) => fs.existsSync(f));
  if (!file) return 'none: no Dockerfile or Containerfile in the application directory to read the CMD from';
  const argv = dockerfileCommand(fs.readFileSync(file, 'utf8'));
  if (!argv) return `none: ${file} has no CMD in exec form whisk can read (see docs/user-guide.md "Start-up")`;
  const { execa } = await import('execa');
  /** `args` as the image's user, from the application directory, with exactly `env`. */
  const asUser = (args: string[], env: NodeJS.ProcessEnv) =>
    execa('/usr/bin/setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...args], {
      cwd: appDir,
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
  // As at a start: the launcher gets the container's PATH (kept in WHISK_APP_PATH by the
  // launcher that runs this build) and makes it WHISK_APP_PATH again.
  const planEnv: NodeJS.ProcessEnv = { ...process.env, PATH: process.env.WHISK_APP_PATH ?? process.env.PATH };
  delete planEnv.WHISK_APP_PATH;
  const r = await asUser([path.join(DIST_DIR, 'whisk'), 'build', 'start-plan', ...argv], planEnv);
  if (r.failed) return `none: the plan failed (${r.stderr.trim() || r.exitCode})`;
  const plan = JSON.parse(r.stdout) as StartPlan;
  if (plan.skipped) return `none: ${plan.skipped}`;
  writeCacheFiles(dir, plan as Required<Omit<StartPlan, 'skipped'>>);
  // The key, as the launcher will make it: the launcher's environment (system PATH, the
  // container's in WHISK_APP_PATH), as that user, from the application directory.
  const keyEnv: NodeJS.ProcessEnv = { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  delete keyEnv.WHISK_EXEC_FD;
  const k = await asUser(['/bin/sh', path.join(DIST_DIR, 'start-key'), dir, ...argv], keyEnv);
  if (k.failed || !/^[0-9a-f]{64}$/.test(k.stdout.trim())) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `none: the key could not be made (${k.stderr.trim() || k.exitCode})`;
  }
  fs.writeFileSync(path.join(dir, 'key'), `${k.stdout.trim()}\n`, { mode: 0o644 });
  return `for ${JSON.stringify(argv)} (${plan.inputs?.read.length ?? 0} files read, ${(plan.inputs?.stat.length ?? 0) + (plan.inputs?.lstat.length ?? 0)} checked, ${plan.inputs?.list.length ?? 0} listed)`;
}

/**
 * Writes the cache directory, root's and read-only to others (the launcher only reads it):
 * `server-root/` (the files, the token placeholder in them), `argv` and `empty-dirs` (a line
 * each), `log`, `token`, `server-root-path`, `probe` (dir, live, ready, "ready" or ""),
 * `port`, and the input lists `read`, `stat`, `lstat`, `list` (`cgroup` when /proc/self/cgroup was read).
 */
function writeCacheFiles(dir: string, plan: Required<Omit<StartPlan, 'skipped'>>): void {
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text, { mode: 0o644 });
  const lines = (a: string[]) => a.map((l) => `${l}\n`).join('');
  fs.mkdirSync(path.join(dir, 'server-root'), { recursive: true, mode: 0o755 });
  for (const [name, text] of Object.entries(plan.files)) write(path.join('server-root', name), text);
  write('argv', lines(plan.argv));
  write('empty-dirs', lines(plan.emptyDirs));
  write('log', plan.log);
  write('token', `${plan.token}\n`);
  write('server-root-path', `${plan.serverRoot}\n`);
  write('probe', lines([plan.probe.dir, plan.probe.live, plan.probe.ready, plan.probe.readyAtStart ? 'ready' : '']));
  write('port', `${plan.port}\n`);
  for (const kind of ['read', 'stat', 'lstat', 'list'] as const) write(kind, lines(plan.inputs[kind]));
  if (plan.inputs.cgroup) write('cgroup', '');
}
