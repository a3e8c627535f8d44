/**
 * Measurement: containers on this machine (host networking, 127.0.0.1 only), wrk load, CPU
 * time per request from the container's cgroup and per process class from /proc, context
 * switches per request (/proc/PID/task/TID/status), memory (PSS) and the accept queue of the
 * listening socket.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import net from 'node:net';
import Docker from 'dockerode';
import { processClass, ROOT } from './contenders.mjs';

export const docker = new Docker();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const sh = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

/** A TCP port free on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a contender's container for `app`. No health check runs (the image's HEALTHCHECK is
 * off), so no contender pays for one inside a cell. On the host's network, on a free
 * 127.0.0.1 port; with `published`, as users run an image instead (`docker run -p
 * 127.0.0.1:PORT:INSIDE`, the default bridge network): whisk with the image's own settings
 * (port 80; no WHISK_PORT or WHISK_HOST, which its start cache would count as a change),
 * a peer on 0.0.0.0:8000 inside. @returns {{container, port, tlsPort, t0}}
 */
export async function startContainer(contender, app, extraEnv = [], { published = false } = {}) {
  const port = await freePort();
  const tlsPort = await freePort();
  const whisk = contender.name.startsWith('whisk');
  const inside = whisk ? 80 : 8000;
  const env = published
    ? [...contender.env(inside, app, 8443).filter((e) => !/^WHISK_(PORT|HOST)=/.test(e)), ...(whisk ? [] : ['HOST=0.0.0.0'])]
    : contender.env(port, app, tlsPort);
  // The HTTPS cells' certificate and key, the same for every contender (tlsFiles()).
  const binds = [`${tlsFiles()}:/bench-tls:ro`];
  const container = await docker.createContainer({
    Image: contender.images[app],
    Env: [...env, ...(whisk ? extraEnv : [])],
    Healthcheck: { Test: ['NONE'] },
    ExposedPorts: published ? { [`${inside}/tcp`]: {} } : undefined,
    HostConfig: published
      ? { PortBindings: { [`${inside}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] }, Binds: binds }
      : { NetworkMode: 'host', Binds: binds },
  });
  const t0 = performance.now();
  await container.start();
  return { container, port, tlsPort, t0 };
}

/**
 * `docker run` → first 200 of `urlPath`, `starts` times, each container started as users
 * start one (`published`, see {@link startContainer}) and removed after.
 * @returns {{median: number, all: number[]}} seconds
 */
export async function firstOk(contender, app, urlPath, extraEnv, starts) {
  const times = [];
  for (let i = 0; i < starts; i++) {
    const { container, port, t0 } = await startContainer(contender, app, extraEnv, { published: true });
    try {
      await waitFor200(port, urlPath);
      times.push((performance.now() - t0) / 1000);
    } finally {
      await remove(container);
    }
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], all: times };
}

let tlsDir;
/**
 * A certificate for 127.0.0.1 and its key (EC P-256, made with Debian's openssl once per
 * run), served by every contender in the HTTPS cells: `DIR/site.crt`, `DIR/site.key`.
 */
export function tlsFiles() {
  if (tlsDir) return tlsDir;
  tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-bench-tls-'));
  sh('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    path.join(tlsDir, 'site.key'),
    '-out',
    path.join(tlsDir, 'site.crt'),
    '-days',
    '7',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  for (const f of fs.readdirSync(tlsDir)) fs.chmodSync(path.join(tlsDir, f), 0o644);
  fs.chmodSync(tlsDir, 0o755);
  return tlsDir;
}

/** Polls (20 ms apart) until 127.0.0.1:PORT/PATH answers 200. */
export async function waitFor200(port, urlPath, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if ((await status(port, urlPath)) === 200) return;
    await sleep(20);
  }
  throw new Error(`no 200 from 127.0.0.1:${port}${urlPath} in ${seconds}s`);
}

/**
 * One GET's status (0 for no answer within 2 s), with node:http: a published port's
 * docker-proxy accepts before the server listens, and fetch's timeout does not keep Node's
 * event loop alive while it waits.
 */
function status(port, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export async function remove(container) {
  await container.remove({ force: true, v: true }).catch(() => undefined);
}

/** The container's processes: host pid and command line (docker top). */
async function top(container) {
  const t = await container.top({ ps_args: '-o pid,args' });
  return t.Processes.map((p) => ({ pid: Number(p[0]), args: p[1] }));
}

/** Sum of PSS (bytes) of the container's processes, from /proc/PID/smaps_rollup. */
export async function pss(container) {
  let total = 0;
  for (const { pid } of await top(container)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* exited */
    }
  }
  return total;
}

/** CPU time (ns) the container's cgroup has used: cgroup v2 cpu.stat or v1 cpuacct.usage. */
export function cpuNs(id) {
  const v2 = [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${id}/cpu.stat`];
  for (const f of v2) {
    if (fs.existsSync(f)) return Number(/usage_usec (\d+)/.exec(fs.readFileSync(f, 'utf8'))[1]) * 1000;
  }
  const v1 = [
    `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`,
    `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`,
    `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`,
  ];
  for (const f of v1) {
    if (fs.existsSync(f)) return Number(fs.readFileSync(f, 'utf8').trim());
  }
  throw new Error(`no cgroup CPU accounting found for container ${id}`);
}

const TICK_US = 1e6 / Number(sh('getconf', ['CLK_TCK']).trim());

/**
 * Context switches (voluntary and not) of all threads of process `pid`, from each
 * /proc/PID/task/TID/status: a hand-over between threads or processes (Apache's listener to
 * a worker, a child to a mod_wsgi daemon, nginx to gunicorn) costs one on each side.
 */
function contextSwitches(pid) {
  let n = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) n += Number(m[1]);
    } catch {
      /* thread exited */
    }
  }
  return n;
}

/** CPU time (µs, user + system) and context switches of each process of the container, keyed by pid. */
export async function processCpu(container) {
  const out = new Map();
  for (const { pid, args } of await top(container)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { cls: processClass(args), us: (Number(f[11]) + Number(f[12])) * TICK_US, switches: contextSwitches(pid) });
    } catch {
      /* exited */
    }
  }
  return out;
}

/**
 * CPU (µs) per process class, and context switches in all, between two {@link processCpu}
 * samples; a process that started in between counts from 0.
 */
export function classDelta(before, after) {
  const by = {};
  let switches = 0;
  for (const [pid, a] of after) {
    by[a.cls] = (by[a.cls] ?? 0) + a.us - (before.get(pid)?.us ?? 0);
    switches += a.switches - (before.get(pid)?.switches ?? 0);
  }
  return { by, switches };
}

/** Deepest accept queue seen on the listening port (ss: Recv-Q of a LISTEN socket). */
function acceptQueue(port) {
  try {
    const out = sh('ss', ['-Hltn', `sport = :${port}`]);
    return Math.max(
      0,
      ...out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l.trim().split(/\s+/)[1])),
    );
  } catch {
    return NaN;
  }
}

const toMs = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);

/** Runs a load generator from the repository (its paths are relative to it): its exit code and its stdout and stderr together. */
function loadTool(command, argv) {
  return new Promise((resolve) => {
    const p = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

/** Parses `wrk --latency` output. */
export function parseWrk(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : 0;
  };
  const lat = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(out);
  const rps = num(/Requests\/sec:\s+([\d.]+)/);
  return {
    requests: num(/(\d+) requests in/),
    rps,
    // Response bytes (headers and body) per request: wrk's Transfer/sec over Requests/sec.
    bytesPerResponse: transfer && rps ? (Number(transfer[1]) * { B: 1, KB: 1024, MB: 1048576, GB: 1073741824 }[transfer[2]]) / rps : NaN,
    p50: lat(50),
    p99: lat(99),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

/**
 * Runs wrk against 127.0.0.1:PORT/PATH with these request headers; with `thinkMs`, each
 * connection waits that many milliseconds after a response (bench/think-time.lua).
 * @returns {Promise<{out: string, command: string}>}
 */
export function wrk(port, urlPath, connections, seconds, headers = {}, thinkMs = 0, scheme = 'http') {
  // The script's path is relative to the repository (wrk runs there), as the report shows it.
  const [script, scriptArgs] = thinkMs
    ? [
        ['-s', 'bench/think-time.lua'],
        ['--', String(thinkMs)],
      ]
    : [[], []];
  const argv = [
    '-t',
    String(Math.min(2, connections)),
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--latency',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    ...script,
    `${scheme}://127.0.0.1:${port}${urlPath}`,
    ...scriptArgs,
  ];
  return loadTool('wrk', argv).then(({ code, out }) => {
    if (code !== 0) throw new Error(`wrk failed: ${out}`);
    return { out, command: `wrk ${argv.join(' ')}` };
  });
}

/** A percentile (0-100) of sorted numbers. */
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/**
 * Parses h2load's summary and its --log-file (one line a request: start time, status,
 * duration in µs), from which the latency percentiles come (h2load prints none).
 */
export function parseH2load(out, log) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : 0;
  };
  const durations = log
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f.length >= 3)
    .map((f) => Number(f[2]) / 1000)
    .sort((a, b) => a - b);
  const requests = num(/requests: \d+ total, \d+ started, (\d+) done/);
  const traffic = /traffic: [\d.]+\w+ \((\d+)\) total/.exec(out);
  return {
    requests,
    rps: num(/finished in [\d.]+s, ([\d.]+) req\/s/),
    bytesPerResponse: traffic && requests ? Number(traffic[1]) / requests : NaN,
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    non2xx: num(/status codes: \d+ 2xx, (\d+) 3xx/) + num(/status codes: \d+ 2xx, \d+ 3xx, (\d+) 4xx/) + num(/(\d+) 5xx/),
    // Transport failures (h2load's `failed` also counts the non-2xx answers above).
    socketErrors: num(/(\d+) errored/) + num(/(\d+) timeout/),
  };
}

/**
 * Runs Debian's h2load (nghttp2-client) against https://127.0.0.1:PORT/PATH over HTTP/2 (h2
 * by ALPN): `connections` connections, each with `streams` requests in flight, the browser
 * pattern (many streams on few connections), two client threads as wrk has.
 * @returns {Promise<{out: string, log: string, command: string}>}
 */
export function h2load(port, urlPath, connections, streams, seconds, headers = {}) {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-h2load-')), 'requests.log');
  const argv = [
    '-t',
    String(Math.min(2, connections)),
    '-c',
    String(connections),
    '-m',
    String(streams),
    '-D',
    String(seconds),
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    `https://127.0.0.1:${port}${urlPath}`,
  ];
  return loadTool('h2load', ['--log-file', logFile, ...argv]).then(({ code, out }) => {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
    if (code !== 0 || !/Application protocol: h2\b/.test(out)) throw new Error(`h2load failed or did not speak h2: ${out}`);
    return { out, log, command: `h2load ${argv.join(' ')}` };
  });
}

/**
 * One cell: wrk for `seconds` at `connections` (pausing `thinkMs` after each response), with
 * the container's CPU per request in all and by process class, its context switches per
 * request, and the deepest accept queue.
 */
export async function cell(container, port, urlPath, connections, seconds, headers = {}, thinkMs = 0, scheme = 'http', streams = 0) {
  const id = container.id;
  const cpu0 = cpuNs(id);
  const classes0 = await processCpu(container);
  let queue = 0;
  const sampler = setInterval(() => {
    queue = Math.max(queue, acceptQueue(port));
  }, 250);
  // With `streams`, over HTTP/2 (h2load), else wrk.
  const run = streams
    ? await h2load(port, urlPath, connections, streams, seconds, headers)
    : await wrk(port, urlPath, connections, seconds, headers, thinkMs, scheme);
  clearInterval(sampler);
  const cpu1 = cpuNs(id);
  const { by: classes, switches } = classDelta(classes0, await processCpu(container));
  const { command } = run;
  const r = streams ? parseH2load(run.out, run.log) : parseWrk(run.out);
  const perRequest = (us) => (r.requests ? us / r.requests : NaN);
  return {
    ...r,
    connections,
    ...(streams ? { streams } : {}),
    command,
    maxAcceptQueue: queue,
    cpuUsPerRequest: perRequest((cpu1 - cpu0) / 1000),
    cpuUsPerRequestByClass: Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, perRequest(v)])),
    contextSwitchesPerRequest: perRequest(switches),
  };
}
