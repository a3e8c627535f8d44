#!/usr/bin/env node
/**
 * `npm run bench`: whisk against the stacks users pick instead, one container at a time on
 * this machine (host networking, 127.0.0.1 only), the same apps and the same wrk load.
 *
 *   node bench/run.mjs [--quick] [--rounds N] [--duration SECONDS] [--only NAME,NAME]
 *   node bench/run.mjs --report bench/results/DATE.json   (rewrite DATE.md and DATE.svg from it)
 *
 * Writes bench/results/<date>.md (tables, machine, versions, commands), <date>.json (raw)
 * and <date>.svg (req/s and p99 at c=64), and bench/results/latest.svg for the README.
 * --quick: one round, 3 s cells, c=1 and c=64 only: a check of a change in about 3 minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import { renderChart } from './chart.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docker = new Docker();
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    report: { type: 'string' },
  },
});
const QUICK = args.quick;
const ROUNDS = Number(args.rounds ?? (QUICK ? 1 : 2));
const DURATION = Number(args.duration ?? (QUICK ? 3 : 10));
const WARMUP = QUICK ? 1 : 3;
const CONCURRENCY = QUICK ? [1, 64] : [1, 16, 64];
const STARTS = QUICK ? 1 : 5;
const BASE = 'debian:trixie-slim';

/** Workloads: URL path and which container app serves it. */
const WORKLOADS = {
  hello: { path: '/', app: 'hello' },
  django: { path: '/', app: 'django' },
  'static-64k': { path: '/static/bench/64k.bin', app: 'django' },
  'static-1m': { path: '/static/bench/1m.bin', app: 'django' },
};

/** Contenders: image per app, environment, and the workloads each takes part in. */
const CONTENDERS = [
  { name: 'whisk', label: 'whisk', images: { hello: 'whisk-example-hello:bench', django: 'whisk-bench-django:bench' },
    env: (port) => [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1'], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'seeds', label: 'nginx + gunicorn sync (seeds)', images: { hello: 'bench-seeds:bench', django: 'bench-seeds:bench' },
    env: (port, app) => ['CONTENDER=seeds', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'gthread', label: 'gunicorn gthread 2x4', images: { hello: 'bench-gthread:bench', django: 'bench-gthread:bench' },
    env: (port, app) => ['CONTENDER=gthread', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django'] },
  { name: 'uwsgi', label: 'uWSGI http-socket 2 proc', images: { hello: 'bench-uwsgi:bench', django: 'bench-uwsgi:bench' },
    env: (port, app) => ['CONTENDER=uwsgi', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'nginx', label: 'nginx static', images: { django: 'bench-nginx:bench' },
    env: (port) => ['CONTENDER=nginx', 'APP=django', `PORT=${port}`], workloads: ['static-64k', 'static-1m'] },
].filter((c) => !args.only || args.only.split(',').includes(c.name));

const PEER_PACKAGES = {
  seeds: 'nginx python3-gunicorn python3-django libjs-jquery',
  gthread: 'python3-gunicorn python3-django libjs-jquery',
  uwsgi: 'uwsgi-core uwsgi-plugin-python3 python3-django libjs-jquery',
  nginx: 'nginx',
};

const log = (...m) => console.error('bench:', ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

// ---------------------------------------------------------------- images

function buildImages() {
  log('building images (cached after the first run)');
  const build = (tag, context, extra = []) => sh('docker', ['build', '--network', 'host', '-q', '-t', tag, ...extra, context]);
  build('whisk-example-hello:bench', path.join(ROOT, 'examples/hello'));
  build('whisk-example-django:bench', path.join(ROOT, 'examples/django'));
  build('whisk-bench-django:bench', path.join(ROOT, 'bench/whisk'));
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-bench-'));
  const skip = (src) => !/(__pycache__|htdocs|db\.sqlite3)/.test(src);
  fs.cpSync(path.join(ROOT, 'examples/django'), path.join(ctx, 'django'), { recursive: true, filter: skip });
  fs.cpSync(path.join(ROOT, 'examples/hello'), path.join(ctx, 'hello'), { recursive: true, filter: skip });
  fs.cpSync(path.join(ROOT, 'bench/peers'), path.join(ctx, 'peers'), { recursive: true });
  for (const [name, packages] of Object.entries(PEER_PACKAGES)) {
    build(`bench-${name}:bench`, ctx, ['-f', path.join(ctx, 'peers/Dockerfile'), '--build-arg', `PACKAGES=${packages}`]);
  }
  fs.rmSync(ctx, { recursive: true, force: true });
}

// ---------------------------------------------------------------- containers

function freePort() {
  return new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
  });
}

async function startContainer(contender, app) {
  const port = await freePort();
  const container = await docker.createContainer({
    Image: contender.images[app], Env: contender.env(port, app),
    HostConfig: { NetworkMode: 'host' },
  });
  const t0 = performance.now();
  await container.start();
  return { container, port, t0 };
}

async function waitFor200(port, urlPath, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch { /* not yet */ }
    await sleep(20);
  }
  throw new Error(`no 200 from 127.0.0.1:${port}${urlPath} in ${seconds}s`);
}

async function remove(container) {
  await container.remove({ force: true }).catch(() => undefined);
}

/** The container's host pids (docker top). */
async function pids(container) {
  const top = await container.top({ ps_args: '-o pid' });
  return top.Processes.map((p) => Number(p[0]));
}

/** Sum of PSS (bytes) of the container's processes, from /proc/PID/smaps_rollup. */
async function pss(container) {
  let total = 0;
  for (const pid of await pids(container)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch { /* exited */ }
  }
  return total;
}

/** CPU time (ns) the container's cgroup has used: cgroup v2 cpu.stat or v1 cpuacct.usage. */
function cpuNs(id) {
  const v2 = [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, `/sys/fs/cgroup/docker/${id}/cpu.stat`];
  for (const f of v2) {
    if (fs.existsSync(f)) return Number(/usage_usec (\d+)/.exec(fs.readFileSync(f, 'utf8'))[1]) * 1000;
  }
  const v1 = [`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`,
    `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`];
  for (const f of v1) {
    if (fs.existsSync(f)) return Number(fs.readFileSync(f, 'utf8').trim());
  }
  throw new Error(`no cgroup CPU accounting found for container ${id}`);
}

/** Deepest accept queue seen on the listening port (ss: Recv-Q of a LISTEN socket). */
function acceptQueue(port) {
  try {
    const out = sh('ss', ['-Hltn', `sport = :${port}`]);
    return Math.max(0, ...out.trim().split('\n').filter(Boolean).map((l) => Number(l.trim().split(/\s+/)[1])));
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- wrk

const toMs = (v, unit) => Number(v) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);

/** Parses wrk --latency output. */
export function parseWrk(out) {
  const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : 0; };
  const lat = (p) => { const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out); return m ? toMs(m[1], m[2]) : NaN; };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: num(/(\d+) requests in/),
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: lat(50), p99: lat(99),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

function wrk(port, urlPath, connections, seconds) {
  const argv = ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${seconds}s`, '--latency', `http://127.0.0.1:${port}${urlPath}`];
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => (code === 0 ? resolve({ out, command: `wrk ${argv.join(' ')}` }) : reject(new Error(`wrk failed: ${out}`))));
  });
}

async function cell(container, port, urlPath, connections) {
  const id = container.id;
  const cpu0 = cpuNs(id);
  let queue = 0;
  const sampler = setInterval(() => { queue = Math.max(queue, acceptQueue(port)); }, 250);
  const { out, command } = await wrk(port, urlPath, connections, DURATION);
  clearInterval(sampler);
  const cpu1 = cpuNs(id);
  const r = parseWrk(out);
  return { ...r, connections, cpuUsPerRequest: r.requests ? (cpu1 - cpu0) / 1000 / r.requests : NaN, maxAcceptQueue: queue, command };
}

// ---------------------------------------------------------------- run

async function imageSizes(image) {
  const total = (await docker.getImage(image).inspect()).Size;
  const base = (await docker.getImage(BASE).inspect()).Size;
  return { total, aboveBase: total - base };
}

async function firstOk(contender) {
  const app = contender.images.django ? 'django' : 'hello';
  const urlPath = contender.name === 'nginx' ? WORKLOADS['static-64k'].path : '/';
  const times = [];
  for (let i = 0; i < STARTS; i++) {
    const { container, port, t0 } = await startContainer(contender, app);
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

function versions() {
  const inImage = (image, cmd) => {
    try {
      return sh('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'sh', image, '-c', cmd]).trim();
    } catch (e) {
      return `? (${String(e.message).split('\n')[0]})`;
    }
  };
  return {
    whisk: inImage('whisk-bench-django:bench', "apache2 -v | head -1; dpkg-query -W -f='mod_wsgi ${Version}\\n' libapache2-mod-wsgi-py3; python3 --version; python3 -c 'import django; print(\"Django\", django.__version__)'"),
    seeds: inImage('bench-seeds:bench', 'nginx -v 2>&1; echo gunicorn $(python3 -c "import gunicorn; print(gunicorn.__version__)")'),
    uwsgi: inImage('bench-uwsgi:bench', 'echo uWSGI $(uwsgi --version)'),
    wrk: sh('sh', ['-c', 'wrk -v 2>&1 | head -1']).trim(),
    kernel: os.release(),
    docker: sh('docker', ['version', '--format', '{{.Server.Version}}']).trim(),
  };
}

async function main() {
  sh('bash', [path.join(ROOT, 'scripts/setup.sh'), 'docker'], { stdio: 'inherit' });
  if (!fs.existsSync('/usr/bin/wrk')) {
    log('installing wrk (Debian package)');
    sh('sh', ['-c', 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null'], { stdio: 'inherit' });
  }
  buildImages();
  const started = new Date();
  const results = { date: started.toISOString(), quick: QUICK, rounds: ROUNDS, duration: DURATION, warmup: WARMUP,
    concurrency: CONCURRENCY, machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memory: os.totalmem() },
    versions: versions(), contenders: [] };
  for (const contender of CONTENDERS) {
    const entry = { name: contender.name, label: contender.label, cells: [], memory: {}, images: {} };
    for (const [app, image] of Object.entries(contender.images)) entry.images[app] = { image, ...(await imageSizes(image)) };
    for (const app of [...new Set(contender.workloads.map((w) => WORKLOADS[w].app))]) {
      const { container, port } = await startContainer(contender, app);
      try {
        const workloads = contender.workloads.filter((w) => WORKLOADS[w].app === app);
        await waitFor200(port, WORKLOADS[workloads[0]].path);
        for (const w of workloads) await wrk(port, WORKLOADS[w].path, 16, WARMUP);
        await sleep(1000);
        entry.memory[app] = await pss(container);
        for (let round = 1; round <= ROUNDS; round++) {
          for (const w of workloads) {
            for (const c of CONCURRENCY) {
              const r = await cell(container, port, WORKLOADS[w].path, c);
              entry.cells.push({ workload: w, round, ...r });
              log(`${contender.name.padEnd(8)} ${w.padEnd(11)} c=${String(c).padEnd(3)} round ${round}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req, errors ${r.non2xx + r.socketErrors}, accept queue ≤ ${r.maxAcceptQueue}`);
            }
          }
        }
      } finally {
        await remove(container);
      }
    }
    entry.firstOk = await firstOk(contender);
    log(`${contender.name}: docker run → first 200 median ${entry.firstOk.median.toFixed(2)} s`);
    results.contenders.push(entry);
  }
  const stamp = started.toISOString().slice(0, 16).replace(/[:T]/g, '-') + (QUICK ? '-quick' : '');
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
  const svg = await renderChart(results);
  fs.writeFileSync(path.join(dir, `${stamp}.svg`), svg);
  if (!QUICK) fs.writeFileSync(path.join(dir, 'latest.svg'), svg);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), report(results, `${stamp}.svg`));
  log(`wrote bench/results/${stamp}.{md,json,svg}`);
}

// ---------------------------------------------------------------- report

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const ratio = (v, base) => (Number.isFinite(v) && Number.isFinite(base) && base > 0 ? `${(v / base).toFixed(2)}×` : '—');
const MiB = (b) => `${(b / 1048576).toFixed(1)} MiB`;

function report(results, chartFile) {
  const seeds = results.contenders.find((c) => c.name === 'seeds');
  const find = (c, w, conc, round) => c?.cells.find((x) => x.workload === w && x.connections === conc && x.round === round);
  const lines = [
    `# whisk benchmark, ${results.date.slice(0, 10)}${results.quick ? ' (quick)' : ''}`, '',
    `Machine: ${results.machine.cpus} cores (${results.machine.cpuModel}), ${MiB(results.machine.memory)}; kernel ${results.versions.kernel}; Docker ${results.versions.docker}; ${results.versions.wrk}.`,
    `wrk and the server share the machine's cores. Each cell: ${results.duration} s after a ${results.warmup} s warm-up at c=16; ${results.rounds} round(s), each reported (no averaging).`,
    'Every contender runs alone, in a container on the same Debian trixie base, host networking, 127.0.0.1 only.', '',
    `![req/s and p99 at c=64](${chartFile})`, '',
    '## Versions', '', '```', results.versions.whisk, results.versions.seeds, results.versions.uwsgi, '```', '',
  ];
  for (const w of Object.keys(WORKLOADS)) {
    lines.push(`## ${w} (GET ${WORKLOADS[w].path})`, '',
      '| contender | c | round | req/s | vs seeds | p50 ms | p99 ms | vs seeds p99 | non-2xx | socket errors | CPU µs/req | vs seeds CPU | max accept queue |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const c of results.contenders) {
      for (const cellResult of c.cells.filter((x) => x.workload === w)) {
        const s = find(seeds, w, cellResult.connections, cellResult.round);
        lines.push(`| ${c.label} | ${cellResult.connections} | ${cellResult.round} | ${fmt(cellResult.rps)} | ${ratio(cellResult.rps, s?.rps)} | ${fmt(cellResult.p50, 2)} | ${fmt(cellResult.p99, 2)} | ${ratio(cellResult.p99, s?.p99)} | ${cellResult.non2xx} | ${cellResult.socketErrors} | ${fmt(cellResult.cpuUsPerRequest)} | ${ratio(cellResult.cpuUsPerRequest, s?.cpuUsPerRequest)} | ${cellResult.maxAcceptQueue} |`);
      }
    }
    lines.push('');
  }
  lines.push('## Per contender', '', '| contender | idle memory (PSS, after warm-up) | vs seeds | docker run → first 200 (median) | vs seeds | image (total / above base) |', '| --- | --- | --- | --- | --- | --- |');
  const seedMem = seeds?.memory.django;
  for (const c of results.contenders) {
    const mem = Object.entries(c.memory).map(([app, b]) => `${app} ${MiB(b)}`).join(', ');
    const img = Object.values(c.images)[Object.keys(c.images).length - 1];
    lines.push(`| ${c.label} | ${mem} | ${ratio(c.memory.django, seedMem)} | ${fmt(c.firstOk.median, 2)} s | ${ratio(c.firstOk.median, seeds?.firstOk.median)} | ${MiB(img.total)} / ${MiB(img.aboveBase)} |`);
  }
  lines.push('', '## Commands', '', 'Each cell ran, against the contender\'s port on 127.0.0.1:', '', '```',
    ...new Set(results.contenders.flatMap((c) => c.cells.map((x) => x.command.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT')))), '```', '',
    'Contenders: `whisk` = the `hello` and `django` examples, default settings (access log on, to stdout); the others are `bench/peers/` (`start.sh` has their exact command lines; nginx logs to stdout as the official nginx image does, gunicorn and uWSGI log no requests). CPU µs/req is the container cgroup\'s CPU time over the cell divided by the requests wrk completed; the Docker daemon\'s work on the containers\' stdout logs is not in it. Max accept queue is the deepest Recv-Q of the listening socket sampled every 250 ms (`ss -ltn`).', '',
    'uWSGI\'s `--http-socket` closes the connection after every response (it does not keep HTTP/1.1 connections alive), so wrk counts one socket read error per request for it: those requests did complete.', '');
  return lines.join('\n');
}

async function rewriteReport(file) {
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  const stem = file.replace(/\.json$/, '');
  fs.writeFileSync(`${stem}.svg`, await renderChart(results));
  fs.writeFileSync(`${stem}.md`, report(results, `${path.basename(stem)}.svg`));
  log(`rewrote ${stem}.{md,svg}`);
}

(args.report ? rewriteReport(args.report) : main()).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
