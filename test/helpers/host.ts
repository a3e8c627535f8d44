/**
 * Host-test helpers: start the built entrypoint (dist/whisk) against Debian's Apache +
 * mod_wsgi on this machine, on a free 127.0.0.1 port, and stop it again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { tempTree } from './files.js';
import { freePort, request, ROOT } from './http.js';
import { setTimeout as sleep } from 'node:timers/promises';

export const WHISK = path.join(ROOT, 'dist', 'whisk');
export const EXAMPLES = path.join(ROOT, 'examples');
/** Apache will not run its children as root: as root here, drop to nobody as the image drops to whisk. */
export const USER = process.getuid?.() === 0 ? ['--user', 'nobody', '--group', 'nogroup'] : [];

/** A running server, its port, server root and combined stdout + stderr. */
export interface Server {
  port: number;
  serverRoot: string;
  proc: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}
const running: Server[] = [];

/**
 * Starts `whisk start ARGS` in `cwd` and waits (20 s at most) until `waitPath` answers 200
 * (any status with `anyStatus`).
 *
 * @param env extra environment variables for whisk
 * @throws Error with whisk's output when it exits or never answers
 */
export async function start(cwd: string, args: string[], waitPath = '/.whisk/health', anyStatus = false, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const work = tempTree('host');
  const serverRoot = path.join(work, 'root');
  // Files, not Node's socket pipes: Apache opens /dev/stderr by name, which a socket refuses.
  const [outFile, errFile] = [path.join(work, 'stdout.log'), path.join(work, 'stderr.log')];
  const proc = spawn(WHISK, ['start', '--host', '127.0.0.1', '--port', String(port), '--server-root', serverRoot, ...USER, ...args], {
    cwd,
    stdio: ['ignore', fs.openSync(outFile, 'a'), fs.openSync(errFile, 'a')],
    env: { ...process.env, WHISK_ACCESS_LOG: '1', TEST_PASSENV_VAR: 'passed through', ...env },
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const output = () => [outFile, errFile].map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')).join('');
  const server = { port, serverRoot, proc, exited, output };
  running.push(server);
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`whisk exited ${proc.exitCode}:\n${output()}`);
    try {
      if (anyStatus || (await request(port, waitPath)).status === 200) {
        await request(port, waitPath);
        return server;
      }
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error(`not ready:\n${output()}`);
}

/** Stops every server {@link start} started (for afterEach). */
export async function stopAll(): Promise<void> {
  for (const s of running.splice(0)) {
    s.proc.kill('SIGTERM');
    await s.exited;
  }
}

/** A throw-away app directory (readable by the daemon's user) with these files (default: wsgi.py). */
export function tempApp(name: string, wsgi: string, files: Record<string, string> = {}): string {
  return tempTree(name, { 'wsgi.py': wsgi, ...files });
}

/** A WSGI app answering text/plain with the Python expression `expr` (of `environ`). */
export const echoApp = (expr: string) =>
  ['def application(environ, start_response):', "    start_response('200 OK', [('Content-Type', 'text/plain')])", `    return [(${expr}).encode()]`, ''].join(
    '\n',
  );
