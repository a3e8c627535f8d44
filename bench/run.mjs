#!/usr/bin/env node
/**
 * `npm run bench`: whisk against the stacks users pick instead, one container at a time on
 * this machine (host networking, 127.0.0.1 only), the same apps and the same wrk load.
 *
 *   node bench/run.mjs [--quick] [--rounds N] [--duration SECONDS] [--only NAME,NAME]
 *                      [--workloads NAME,NAME]   (of contenders.mjs; the WSGI suite only)
 *                      [--whisk-env NAME=VALUE ...]   (try a whisk setting, e.g. WHISK_THREADS=1)
 *   node bench/run.mjs --report bench/results/DATE.json   (rewrite DATE.md and DATE.svg from it)
 *   node bench/run.mjs --suite wsgi|asgi|all   (all by default: the WSGI contenders, then the
 *                      ASGI ones of bench/asgi.mjs, which take the same options)
 *
 * Writes bench/results/<date>.md (tables, machine, versions, commands), <date>.json (raw)
 * and <date>.svg (req/s and p99 at c=64), and bench/results/latest.svg for the README.
 * --quick: one round, 3 s cells, c=1 and c=64 only: a check of a change in a few minutes.
 *
 * Orchestration only: contenders.mjs (what runs), measure.mjs (how it is measured),
 * report.mjs (the report, a pure function of the JSON), chart.mjs (the chart).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.mjs';
import { BASE_IMAGE, CONTENDERS, ROOT, WORKLOADS } from './contenders.mjs';
import { cell, docker, firstOk, pss, remove, sh, sleep, startContainer, waitFor200, wrk } from './measure.mjs';
import { report } from './report.mjs';
import { runAsgi } from './asgi.mjs';
import { buildWsgiImages } from './images.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    workloads: { type: 'string' },
    'whisk-env': { type: 'string', multiple: true, default: [] },
    report: { type: 'string' },
    suite: { type: 'string', default: 'all' },
  },
});
const QUICK = args.quick;
const ROUNDS = Number(args.rounds ?? (QUICK ? 1 : 2));
const DURATION = Number(args.duration ?? (QUICK ? 3 : 10));
const WARMUP = QUICK ? 1 : 3;
const CONCURRENCY = QUICK ? [1, 64] : [1, 16, 64];
const STARTS = QUICK ? 1 : 5;
const WHISK_ENV = args['whisk-env'];
const ONLY = args.only?.split(',');
const ONLY_WORKLOADS = args.workloads?.split(',');
const contenders = CONTENDERS.filter((c) => !ONLY || ONLY.includes(c.name))
  .map((c) => ({ ...c, workloads: c.workloads.filter((w) => !ONLY_WORKLOADS || ONLY_WORKLOADS.includes(w)) }))
  .filter((c) => c.workloads.length > 0);

const log = (...m) => console.error('bench:', ...m);

async function imageSizes(image) {
  const total = (await docker.getImage(image).inspect()).Size;
  const base = (await docker.getImage(BASE_IMAGE).inspect()).Size;
  return { total, aboveBase: total - base };
}

/** docker run → first 200 (measure.mjs firstOk): the Django app where there is one, nginx's static file. */
function startUp(contender) {
  const app = contender.images.django ? 'django' : 'hello';
  return firstOk(contender, app, contender.name === 'nginx' ? WORKLOADS['static-64k'].path : '/', WHISK_ENV, STARTS);
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
    whisk: inImage(
      'whisk-bench-django:bench',
      "apache2 -v | head -1; dpkg-query -W -f='mod_wsgi ${Version}\\n' libapache2-mod-wsgi-py3; python3 --version; python3 -c 'import django; print(\"Django\", django.__version__)'",
    ),
    'nginx-gunicorn': inImage('bench-nginx-gunicorn:bench', 'nginx -v 2>&1; echo gunicorn $(python3 -c "import gunicorn; print(gunicorn.__version__)")'),
    uwsgi: inImage('bench-uwsgi:bench', 'echo uWSGI $(uwsgi --version)'),
    wrk: sh('sh', ['-c', 'wrk -v 2>&1 | head -1']).trim(),
    h2load: sh('sh', ['-c', 'h2load --version 2>&1 | head -1']).trim(),
    kernel: os.release(),
    docker: sh('docker', ['version', '--format', '{{.Server.Version}}']).trim(),
  };
}

async function measureContender(contender) {
  const entry = { name: contender.name, label: contender.label, cells: [], memory: {}, images: {} };
  for (const [app, image] of Object.entries(contender.images)) entry.images[app] = { image, ...(await imageSizes(image)) };
  for (const app of [...new Set(contender.workloads.map((w) => WORKLOADS[w].app))]) {
    const { container, port, tlsPort } = await startContainer(contender, app, WHISK_ENV);
    // An HTTPS workload goes to the container's HTTPS port (wrk over TLS, keep-alive).
    const target = (w) => (WORKLOADS[w].https ? [tlsPort, 'https'] : [port, 'http']);
    try {
      const workloads = contender.workloads.filter((w) => WORKLOADS[w].app === app);
      await waitFor200(port, WORKLOADS[workloads[0]].path);
      if (contender.prepare) sh('docker', ['exec', container.id, ...contender.prepare]);
      for (const w of workloads) await wrk(target(w)[0], WORKLOADS[w].path, 16, WARMUP, WORKLOADS[w].headers, 0, target(w)[1]);
      await sleep(1000);
      entry.memory[app] = await pss(container);
      for (let round = 1; round <= ROUNDS; round++) {
        for (const w of workloads) {
          for (const c of WORKLOADS[w].connections ?? CONCURRENCY) {
            const r = await cell(
              container,
              target(w)[0],
              WORKLOADS[w].path,
              c,
              DURATION,
              WORKLOADS[w].headers,
              WORKLOADS[w].thinkMs,
              target(w)[1],
              WORKLOADS[w].streams,
            );
            entry.cells.push({ workload: w, round, ...r });
            const classes = Object.entries(r.cpuUsPerRequestByClass)
              .filter(([, v]) => v >= 0.5)
              .map(([k, v]) => `${k} ${v.toFixed(0)}`)
              .join(', ');
            log(
              `${contender.name.padEnd(16)} ${w.padEnd(11)} c=${String(c).padEnd(3)} round ${round}: ${r.rps.toFixed(0)} req/s, ${(r.bytesPerResponse / 1024).toFixed(1)} KiB/resp, p99 ${r.p99.toFixed(1)} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req (${classes}), errors ${r.non2xx + r.socketErrors}, accept queue ≤ ${r.maxAcceptQueue}`,
            );
          }
        }
      }
    } finally {
      await remove(container);
    }
  }
  entry.firstOk = await startUp(contender);
  log(`${contender.name}: docker run → first 200 median ${entry.firstOk.median.toFixed(2)} s`);
  return entry;
}

/** Docker and the load generators (Debian's wrk and h2load), for either suite. */
function prerequisites() {
  sh('bash', [path.join(ROOT, 'scripts/setup.sh'), 'docker'], { stdio: 'inherit' });
  if (!fs.existsSync('/usr/bin/wrk') || !fs.existsSync('/usr/bin/h2load')) {
    log('installing wrk and h2load (Debian packages)');
    sh('sh', ['-c', 'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nghttp2-client >/dev/null'], {
      stdio: 'inherit',
    });
  }
}

async function main() {
  buildWsgiImages();
  const started = new Date();
  const results = {
    date: started.toISOString(),
    quick: QUICK,
    rounds: ROUNDS,
    duration: DURATION,
    warmup: WARMUP,
    base: BASE_IMAGE,
    concurrency: CONCURRENCY,
    whiskEnv: WHISK_ENV,
    fairness:
      "All contenders log every request to stdout (whisk's access log, nginx's access_log, gunicorn --access-logfile -, uWSGI's request log); none runs a health check during the cells (whisk's image HEALTHCHECK is turned off, as the peers have none).",
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memory: os.totalmem() },
    versions: versions(),
    contenders: [],
  };
  for (const contender of contenders) results.contenders.push(await measureContender(contender));
  const stamp = started.toISOString().slice(0, 19).replace(/[:T]/g, '-') + (QUICK ? '-quick' : '');
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
  const svg = await renderChart(results);
  fs.writeFileSync(path.join(dir, `${stamp}.svg`), svg);
  if (!QUICK && !args.only && !args.workloads && WHISK_ENV.length === 0) fs.writeFileSync(path.join(dir, 'latest.svg'), svg);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), report(results, `${stamp}.svg`));
  log(`wrote bench/results/${stamp}.{md,json,svg}`);
}

async function rewriteReport(file) {
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  const stem = file.replace(/\.json$/, '');
  fs.writeFileSync(`${stem}.svg`, await renderChart(results));
  fs.writeFileSync(`${stem}.md`, report(results, `${path.basename(stem)}.svg`));
  log(`rewrote ${stem}.{md,svg}`);
}

const suites = async () => {
  prerequisites();
  if (args.suite !== 'asgi') await main();
  if (args.suite !== 'wsgi') await runAsgi();
};

(args.report ? rewriteReport(args.report) : suites()).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
