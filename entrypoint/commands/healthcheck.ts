/**
 * `whisk healthcheck`, the image's HEALTHCHECK: run beside the server (a new process every
 * 30 s, from its own small bundle), it asks the server the state file names.
 */
import fs from 'node:fs';
import http from 'node:http';
import { localBaseUrl } from '../address.js';
import { findServer } from '../system/state.js';

/**
 * GET `url` and read the answer. node:http, not fetch: fetch loads undici, which more than
 * doubles the CPU of each Docker HEALTHCHECK run (docs/production.md: "Health").
 */
function probe(url: string, timeoutSeconds: number, token: string): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutSeconds * 1000, headers: { 'X-Whisk-Health-Token': token } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 300) body += chunk;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = body.trim().slice(0, 300);
        resolve({ ok: status >= 200 && status < 400, detail: `${status}${text ? ` ${text}` : ''}` });
      });
      res.on('error', (error) => resolve({ ok: false, detail: String(error) }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutSeconds} s`)));
    req.on('error', (error) => resolve({ ok: false, detail: String(error) }));
  });
}

/**
 * The program this container runs instead of the server, when PID 1 is the image's entry
 * point running one (`dumb-init --single-child -- whisk run -- PROGRAM…`), else undefined.
 */
function programInstead(): string | undefined {
  try {
    const argv = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    const at = argv.indexOf('run');
    return argv[0].endsWith('dumb-init') && /(^|\/)whisk$/.test(argv[at - 1] ?? '') && argv[at + 1] === '--'
      ? argv
          .slice(at + 2)
          .join(' ')
          .trim()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the check and prints one line saying why.
 *
 * @param serverRoot the server to check (see {@link findServer})
 * @param timeoutSeconds per request (default 5 s)
 * @returns 0 healthy, 1 unhealthy (Docker's HEALTHCHECK convention)
 */
export async function healthcheck(serverRoot: string | undefined, timeoutSeconds = 5): Promise<number> {
  const { state, why } = findServer(serverRoot);
  if (!state) {
    const program = serverRoot ? undefined : programInstead();
    if (program) {
      // The image's HEALTHCHECK is inherited by every container of the image; one that runs a
      // worker has no web server to ask, and calling it unhealthy would make Swarm replace it.
      process.stdout.write(`healthy: no web server here; this container runs ${JSON.stringify(program)} in its place (give it a health check of its own)\n`);
      return 0;
    }
    process.stdout.write(`unhealthy: ${why}\n`);
    return 1;
  }
  const base = localBaseUrl(state.host, state.port);
  const own = state.wsgi ? '/.whisk/health' : state.asgi ? '/.whisk/ready' : '/';
  const checks = [own, state.healthCheckPath].filter((p): p is string => !!p);
  for (const p of checks) {
    const r = await probe(base + p, timeoutSeconds, state.healthToken ?? '');
    if (!r.ok) {
      process.stdout.write(`unhealthy: GET ${p}: ${r.detail}\n`);
      return 1;
    }
  }
  process.stdout.write(`healthy: ${checks.map((p) => `GET ${p}`).join(', ')} answered\n`);
  return 0;
}
