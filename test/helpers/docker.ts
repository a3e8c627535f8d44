/**
 * Docker helpers for the image tests (dockerode): build images from real build contexts,
 * run containers as users do (`-p 127.0.0.1:PORT:80`), read their logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import os from 'node:os';
import { tempTree } from './files.js';
import { freePort, ROOT, waitForHttp } from './http.js';
import { setTimeout as sleep } from 'node:timers/promises';

export const docker = new Docker();

/** Files of a build context, relative, minus .dockerignore entries (plain path prefixes). */
export function contextFiles(dir: string): string[] {
  const ignoreFile = path.join(dir, '.dockerignore');
  const ignored = fs.existsSync(ignoreFile)
    ? fs
        .readFileSync(ignoreFile, 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/\/$/, ''))
        .filter((l) => l && !l.startsWith('#'))
    : [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '__pycache__' || ignored.some((i) => r === i || r.startsWith(`${i}/`))) continue;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

/** Where {@link build} builds. */
export interface BuildOptions {
  /** The Docker platform (`linux/arm64`); the machine's own by default. */
  platform?: string;
  /** The image a build file's `FROM whisk:onbuild` stands for: the tested Python's ({@link ONBUILD_IMAGE}) by default. */
  onbuild?: string;
}

/**
 * Builds an image (host networking, as builds need Debian's mirror) and returns the build log.
 * @throws Error with the log when the build fails
 */
export async function build(
  context: string,
  src: string[],
  tag: string,
  dockerfile = 'Dockerfile',
  buildargs: Record<string, string> = {},
  opts: BuildOptions = {},
): Promise<string> {
  const text = fs.readFileSync(path.join(context, dockerfile), 'utf8');
  const onbuild = opts.onbuild ?? ONBUILD_IMAGE;
  if (onbuild !== 'whisk:onbuild' && /^FROM whisk:onbuild\b/m.test(text)) {
    // For an older Python or another platform: the same build, FROM that onbuild image.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-context-'));
    for (const f of src) {
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(path.join(context, f), path.join(copy, f));
    }
    fs.writeFileSync(path.join(copy, dockerfile), text.replace(/^FROM whisk:onbuild\b/m, `FROM ${onbuild}`));
    context = copy;
  }
  const stream = await docker.buildImage(
    { context, src },
    { t: tag, dockerfile, buildargs, networkmode: 'host', rm: true, forcerm: true, ...(opts.platform ? { platform: opts.platform } : {}) },
  );
  const events: { stream?: string; error?: string }[] = await new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, res: { stream?: string; error?: string }[]) => (err ? reject(err) : resolve(res)));
  });
  const log = events.map((e) => e.stream ?? e.error ?? '').join('');
  const failed = events.find((e) => e.error);
  if (failed) throw new Error(`docker build ${tag} failed: ${failed.error}\n${log}`);
  return log;
}

/** Splits Docker's multiplexed log stream (8-byte frame headers) into text. */
export function demux(buf: Buffer): string {
  let out = '';
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString();
    i += 8 + size;
  }
  return out;
}

/** image/pythons: each Python's tag and Debian base image, newest first. */
export const PYTHONS = fs
  .readFileSync(path.join(ROOT, 'image/pythons'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [python, base] = l.trim().split(/\s+/);
    return { python, base };
  });
/**
 * The Python whose images the image tests build and run: `WHISK_TEST_PYTHON` (a tag of
 * image/pythons, e.g. 3.11), else the newest (whisk:latest, whisk:onbuild). Apps whose build
 * file says `FROM whisk:onbuild` are built FROM that Python's onbuild image.
 */
export const PYTHON = process.env.WHISK_TEST_PYTHON || PYTHONS[0].python;
if (!PYTHONS.some((p) => p.python === PYTHON)) throw new Error(`WHISK_TEST_PYTHON=${PYTHON} is not in image/pythons`);
const NEWEST = PYTHON === PYTHONS[0].python;
/** The runtime and onbuild images under test. */
export const RUNTIME_IMAGE = NEWEST ? 'whisk:latest' : `whisk:${PYTHON}`;
export const ONBUILD_IMAGE = NEWEST ? 'whisk:onbuild' : `whisk:${PYTHON}-onbuild`;

/** A running test container and the 127.0.0.1 port its server answers on. */
export interface Running {
  container: Docker.Container;
  port: number;
  /** Host ports of {@link RunOptions.publish}: container port → port on 127.0.0.1. */
  ports: Record<number, number>;
  logs: () => Promise<string>;
}

const started: Docker.Container[] = [];

/** How {@link run} starts a container. */
export interface RunOptions {
  cmd?: string[];
  /** Replaces the image's ENTRYPOINT (`docker run --entrypoint`). */
  entrypoint?: string[];
  env?: string[];
  user?: string;
  host?: Partial<Docker.HostConfig>;
  healthcheck?: Docker.ContainerCreateOptions['Healthcheck'];
  /**
   * `bridge` (default): as users run it, `docker run -p 127.0.0.1:PORT:80` on the engine's
   * default bridge network. `host`: only for a test that must see the container's sockets
   * from the host (ss) or the host's own port rules; whisk then listens on a free
   * 127.0.0.1 port (WHISK_HOST/WHISK_PORT).
   */
  network?: 'bridge' | 'host';
  /** The container port published on 127.0.0.1 (bridge network): 80, the image's, by default. */
  exposedPort?: number;
  /** More container ports to publish on 127.0.0.1 (443 for HTTPS). */
  publish?: number[];
  /** The container's name (`docker run --name`): on a user-defined network, others reach it by it. */
  name?: string;
}

/** Starts a container; its server answers on 127.0.0.1:`port` of this machine. */
export async function run(image: string, opts: RunOptions = {}): Promise<Running> {
  const port = await freePort();
  const ports: Record<number, number> = {};
  for (const p of opts.publish ?? []) ports[p] = await freePort();
  const host = opts.network === 'host';
  const exposed = { [`${opts.exposedPort ?? 80}/tcp`]: {}, ...Object.fromEntries(Object.keys(ports).map((p) => [`${p}/tcp`, {}])) };
  const bindings = {
    [`${opts.exposedPort ?? 80}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }],
    ...Object.fromEntries(Object.entries(ports).map(([p, h]) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(h) }]])),
  };
  const container = await docker.createContainer({
    name: opts.name,
    Image: image,
    Cmd: opts.cmd,
    Entrypoint: opts.entrypoint,
    User: opts.user,
    Env: [...(host ? [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1'] : []), ...(opts.env ?? [])],
    Healthcheck: opts.healthcheck,
    ExposedPorts: host ? undefined : exposed,
    HostConfig: host ? { NetworkMode: 'host', ...opts.host } : { PortBindings: bindings, ...opts.host },
  });
  started.push(container);
  await container.start();
  return { container, port, ports, logs: async () => demux((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer) };
}

/** {@link run}, then waits (60 s at most) until the app answers `/`. */
export async function serving(image: string, opts: RunOptions = {}): Promise<Running> {
  const c = await run(image, opts);
  await waitForHttp(c.port, '/', 60);
  return c;
}

/** Waits until the container exits (at most `seconds`); returns its exit code. */
export async function waitExit(container: Docker.Container, seconds = 30): Promise<number> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const info = await container.inspect();
    if (!info.State.Running) return info.State.ExitCode;
    await sleep(100);
  }
  throw new Error(`container still running after ${seconds}s`);
}

/** Runs a command in a running container; returns exit code and output. */
export async function exec(container: Docker.Container, cmd: string[], user?: string): Promise<{ code: number; output: string }> {
  const e = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: user });
  const stream = await e.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
  });
  const info = await e.inspect();
  return { code: info.ExitCode ?? -1, output: demux(Buffer.concat(chunks)) };
}

/** Removes every container this file started. */
export async function removeAll(): Promise<void> {
  for (const c of started.splice(0)) await c.remove({ force: true, v: true }).catch(() => undefined);
}

/**
 * For a test file that ran helper containers on a network of its own: removes them (by name),
 * then every container {@link run} started, then the network.
 */
export async function removeAllOnNetwork(network: string, ...helpers: string[]): Promise<void> {
  for (const name of helpers) {
    await docker
      .getContainer(name)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
  await removeAll();
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
}

/** The examples, each built as `whisk-example-NAME:test` (`:test-PYTHON` for an older Python). */
export const EXAMPLES = ['hello', 'django', 'flask', 'paste', 'fastapi', 'django-asgi'];
export const exampleTag = (example: string) => `whisk-example-${example}:test${NEWEST ? '' : `-${PYTHON}`}`;

/**
 * Builds the runtime and onbuild images of the Python under test ({@link PYTHON}) from this
 * checkout (dist/ must be built), and the examples on top. Docker's layer cache makes a
 * second call cheap.
 */
export async function buildImages(): Promise<void> {
  // dist/ is what scripts/bundle.mjs made; image/Dockerfile copies what it needs of it.
  const src = [
    'image/Dockerfile',
    'image/Dockerfile.onbuild',
    ...fs.readdirSync(path.join(ROOT, 'dist')).map((f) => `dist/${f}`),
    ...contextFiles(path.join(ROOT, 'templates')).map((f) => `templates/${f}`),
    ...contextFiles(path.join(ROOT, 'runtime/whisk_runtime')).map((f) => `runtime/whisk_runtime/${f}`),
  ];
  await build(ROOT, src, RUNTIME_IMAGE, 'image/Dockerfile', { BASE_IMAGE: PYTHONS.find((p) => p.python === PYTHON)!.base });
  await build(ROOT, src, ONBUILD_IMAGE, 'image/Dockerfile.onbuild', { WHISK_IMAGE: RUNTIME_IMAGE });
  for (const e of EXAMPLES) {
    const dir = path.join(ROOT, 'examples', e);
    await build(dir, contextFiles(dir), exampleTag(e));
  }
}

/**
 * Builds a throw-away app image FROM whisk:onbuild out of the given files; returns its tag.
 *
 * @param buildFile the build file among `files` (`docker build -f`), `Dockerfile` by default
 * @throws Error with the build log when the build fails
 */
export async function buildApp(name: string, files: Record<string, string>, buildFile = 'Dockerfile'): Promise<string> {
  const dir = tempTree(name, files, (rel) => (rel.includes('hooks/') ? 0o755 : 0o644));
  const tag = `whisk-test-${name}:test${NEWEST ? '' : `-${PYTHON}`}`;
  await build(dir, contextFiles(dir), tag, buildFile);
  return tag;
}

/** docker stop (Docker kills at 10 s): the exit code and the seconds it took. */
export async function stop(c: Running): Promise<{ code: number; seconds: number }> {
  const t0 = Date.now();
  await c.container.stop({ t: 10 });
  const code = await waitExit(c.container);
  return { code, seconds: (Date.now() - t0) / 1000 };
}

/** The container's processes: pid, ppid, uid, stat and args (via docker top). */
export async function processes(c: Running): Promise<{ pid: string; ppid: string; uid: string; stat: string; args: string }[]> {
  const top = await c.container.top({ ps_args: '-o pid,ppid,uid,stat,args' });
  return (top.Processes as string[][]).map(([pid, ppid, uid, stat, args]) => ({ pid, ppid, uid, stat, args }));
}
