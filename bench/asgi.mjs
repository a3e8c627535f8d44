#!/usr/bin/env node
/**
 * The ASGI benchmark (`npm run bench -- --suite asgi`, and the second half of `npm run bench`): whisk's
 * `--application-type asgi` against the ASGI servers users pick instead, one container at a
 * time on this machine (host networking, 127.0.0.1 only), the same FastAPI app
 * (bench/asgi/app/main.py), the same clients:
 *
 *   - json, 10k: wrk, keep-alive, c=64;
 *   - json-paced: json again, each connection pausing 16 ms after a response
 *     (bench/think-time.lua): about the same load for every contender, below saturation, so
 *     the p99s compare at equal work;
 *   - sleep: an endpoint that awaits 10 ms, wrk at c=512 (what async is for);
 *   - ws: WebSocket echo, 64 connections each sending its next 32-byte message when the echo
 *     of the last arrives (the `ws` npm client): messages/s and round-trip p99;
 *   - sse: server-sent events fan-out, 64 clients each reading 100 events sent 20 ms apart:
 *     events/s and the p99 gap between two events at the client (ideal: 20 ms).
 *
 * CPU per request (or message, or event) from the container's cgroup, and by process class
 * with context switches, idle memory (PSS), `docker run` → first 200.
 *
 *   node bench/asgi.mjs [--quick] [--rounds N] [--duration SECONDS] [--only NAME,NAME]
 *                       [--whisk-env NAME=VALUE ...]
 * Writes bench/results/<date>-asgi.{json,md}.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { BASE_IMAGE, ROOT } from './contenders.mjs';
import { buildAsgiImages } from './images.mjs';
import { cell, classDelta, cpuNs, firstOk, processCpu, pss, remove, sh, sleep, startContainer, waitFor200 } from './measure.mjs';

// Not strict: bench/run.mjs passes its own options (--suite) through.
const { values: args } = parseArgs({
  strict: false,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    'whisk-env': { type: 'string', multiple: true, default: [] },
  },
});
const QUICK = args.quick;
const ROUNDS = Number(args.rounds ?? (QUICK ? 1 : 2));
const DURATION = Number(args.duration ?? (QUICK ? 3 : 10));
const STARTS = QUICK ? 1 : 3;
const log = (...m) => console.error('bench asgi:', ...m);

/** Workloads: URL path, concurrency (connections), and for a paced one the pause (ms) after each response. */
export const ASGI_WORKLOADS = {
  json: { path: '/json', connections: 64 },
  'json-paced': { path: '/json', connections: 64, thinkMs: 16 },
  '10k': { path: '/10k', connections: 64 },
  sleep: { path: '/sleep', connections: 512 },
  ws: { path: '/ws', connections: 64 },
  sse: { path: '/sse?count=100&interval=0.02', connections: 64 },
};

const peer = (name, label) => ({
  name,
  label,
  images: { asgi: 'bench-asgi-peers:bench' },
  env: (port) => [`CONTENDER=${name}`, `PORT=${port}`],
});
/** Contenders: whisk with its defaults, and each peer with its usual production settings (peers/start.sh). */
export const ASGI_CONTENDERS = [
  {
    name: 'whisk',
    label: 'whisk --application-type asgi',
    images: { asgi: 'whisk-bench-asgi:bench' },
    env: (port) => [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1'],
  },
  peer('uvicorn', 'uvicorn --workers 2'),
  peer('uvicorn-h11', 'uvicorn --workers 2 --loop asyncio --http h11'),
  peer('nginx-uvicorn', 'nginx → uvicorn --workers 2'),
  peer('gunicorn-uvicorn', 'gunicorn -k uvicorn.workers.UvicornWorker -w 2'),
  peer('hypercorn', 'hypercorn --workers 2'),
  peer('daphne', 'daphne (one process)'),
];

/**
 * The reference for each target (issue 31): nginx → uvicorn, configured as its production
 * guides say (upstream keep-alive), for every workload; the stack whisk replaces.
 */
const REFERENCE = 'nginx-uvicorn';

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);

/** WebSocket echo load: `connections` clients, each one message in flight, for `seconds`. */
async function wsEcho(port, connections, seconds) {
  const latencies = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const message = 'x'.repeat(32);
  const one = () =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
      let sent = 0;
      const send = () => {
        sent = performance.now();
        ws.send(message);
      };
      ws.on('open', send);
      ws.on('message', () => {
        const now = performance.now();
        latencies.push(now - sent);
        if (now < until) send();
        else ws.close(1000);
      });
      ws.on('error', () => {
        errors++;
        resolve();
      });
      ws.on('close', () => resolve());
    });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, one));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { messages: latencies.length, rate: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

/** SSE fan-out: `connections` clients at once, each reading the whole stream; gaps between events at the client. */
async function sseFanOut(port, urlPath, connections) {
  const gaps = [];
  let events = 0;
  let errors = 0;
  const one = () =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          errors++;
          res.resume();
          resolve();
          return;
        }
        let last = performance.now();
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffered += chunk;
          const parts = buffered.split('\n\n');
          buffered = parts.pop();
          for (let i = 0; i < parts.length; i++) {
            const now = performance.now();
            gaps.push(now - last);
            last = now;
            events++;
          }
        });
        res.on('end', resolve);
        res.on('error', () => {
          errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, one));
  const elapsed = (performance.now() - t0) / 1000;
  gaps.sort((a, b) => a - b);
  return { events, rate: events / elapsed, seconds: elapsed, gapP50: percentile(gaps, 0.5), gapP99: percentile(gaps, 0.99), errors };
}

/**
 * Runs one non-wrk workload with the container's CPU per unit (message, event), in all and by
 * process class (µs), and the context switches per unit, as `cell` gives them for requests.
 */
async function timed(container, fn, units) {
  const cpu0 = cpuNs(container.id);
  const classes0 = await processCpu(container);
  const r = await fn();
  const cpu1 = cpuNs(container.id);
  const { by, switches } = classDelta(classes0, await processCpu(container));
  const per = (v) => v / (r[units] || NaN);
  return {
    ...r,
    cpuUsPerUnit: per((cpu1 - cpu0) / 1000),
    cpuUsPerUnitByClass: Object.fromEntries(Object.entries(by).map(([k, v]) => [k, per(v)])),
    contextSwitchesPerUnit: per(switches),
  };
}

/** `name 12, name 3` for the classes that spent at least half a µs a unit. */
const byClass = (perClass) =>
  Object.entries(perClass)
    .filter(([, v]) => v >= 0.5)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');

async function measureContender(c) {
  const entry = { name: c.name, label: c.label, cells: [] };
  const { container, port } = await startContainer(c, 'asgi', c.name === 'whisk' ? args['whisk-env'] : []);
  try {
    await waitFor200(port, '/json');
    await sleep(1000);
    entry.memory = await pss(container);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const w of ['json', 'json-paced', '10k', 'sleep']) {
        const { path: p, connections, thinkMs = 0 } = ASGI_WORKLOADS[w];
        const r = await cell(container, port, p, connections, DURATION, {}, thinkMs);
        entry.cells.push({ workload: w, round, ...r });
        log(
          `${c.name.padEnd(16)} ${w.padEnd(10)} c=${connections} round ${round}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req (${byClass(r.cpuUsPerRequestByClass)}), ${r.contextSwitchesPerRequest.toFixed(1)} switches/req, errors ${r.non2xx + r.socketErrors}`,
        );
      }
      const ws = await timed(container, () => wsEcho(port, ASGI_WORKLOADS.ws.connections, DURATION), 'messages');
      entry.cells.push({ workload: 'ws', round, ...ws });
      log(
        `${c.name.padEnd(16)} ws    c=64 round ${round}: ${ws.rate.toFixed(0)} messages/s, p99 ${ws.p99.toFixed(1)} ms, ${ws.cpuUsPerUnit.toFixed(0)} µs CPU/message (${byClass(ws.cpuUsPerUnitByClass)}), ${ws.contextSwitchesPerUnit.toFixed(1)} switches/message, errors ${ws.errors}`,
      );
      const sse = await timed(container, () => sseFanOut(port, ASGI_WORKLOADS.sse.path, ASGI_WORKLOADS.sse.connections), 'events');
      entry.cells.push({ workload: 'sse', round, ...sse });
      log(
        `${c.name.padEnd(16)} sse   c=64 round ${round}: ${sse.rate.toFixed(0)} events/s in ${sse.seconds.toFixed(2)} s, gap p99 ${sse.gapP99.toFixed(1)} ms, ${sse.cpuUsPerUnit.toFixed(0)} µs CPU/event (${byClass(sse.cpuUsPerUnitByClass)}), ${sse.contextSwitchesPerUnit.toFixed(1)} switches/event, errors ${sse.errors}`,
      );
    }
  } finally {
    await remove(container);
  }
  entry.firstOk = await firstOk(c, 'asgi', '/json', c.name === 'whisk' ? args['whisk-env'] : [], STARTS);
  log(`${c.name}: idle memory ${(entry.memory / 1048576).toFixed(1)} MiB, docker run → first 200 median ${entry.firstOk.median.toFixed(2)} s`);
  return entry;
}

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const range = (cells, key, d = 0) => {
  const v = cells.map((x) => x[key]).filter(Number.isFinite);
  if (!v.length) return '—';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? fmt(lo, d) : `${fmt(lo, d)}–${fmt(hi, d)}`;
};
const mean = (cells, key) => cells.reduce((a, x) => a + x[key], 0) / (cells.length || NaN);

/** The Markdown report of an ASGI run (a pure function of its JSON). */
export function asgiReport(results) {
  const cs = results.contenders;
  const cellsOf = (c, w) => c.cells.filter((x) => x.workload === w);
  const lines = [
    `# ASGI benchmark, ${results.date}`,
    '',
    `${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${results.rounds} round(s) of ${results.duration} s a cell; ranges are the rounds. Same FastAPI app (bench/asgi/app/main.py) for all; every contender logs each request.`,
    '',
    '| contender | json req/s (p99 ms) c=64 | json paced req/s (p99 ms) | 10 KB req/s (p99 ms) c=64 | sleep 10 ms req/s (p99 ms) c=512 | WebSocket echo msg/s (p99 ms) | SSE events/s (gap p99 ms) | CPU µs/req json | idle MiB | first 200 s |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const c of cs) {
    const http = (w) => `${range(cellsOf(c, w), 'rps')} (${range(cellsOf(c, w), 'p99', 1)})`;
    const errs = (w) => cellsOf(c, w).reduce((a, x) => a + (x.non2xx ?? 0) + (x.socketErrors ?? 0) + (x.errors ?? 0), 0);
    const flag = (w) => (errs(w) ? ` ⚠ ${errs(w)} errors` : '');
    lines.push(
      `| ${c.label} | ${http('json')}${flag('json')} | ${http('json-paced')}${flag('json-paced')} | ${http('10k')}${flag('10k')} | ${http('sleep')}${flag('sleep')} | ${range(cellsOf(c, 'ws'), 'rate')} (${range(cellsOf(c, 'ws'), 'p99', 1)})${flag('ws')} | ${range(cellsOf(c, 'sse'), 'rate')} (${range(cellsOf(c, 'sse'), 'gapP99', 1)})${flag('sse')} | ${range(cellsOf(c, 'json'), 'cpuUsPerRequest')} | ${fmt(c.memory / 1048576, 1)} | ${fmt(c.firstOk?.median, 2)} |`,
    );
  }
  const whisk = cs.find((c) => c.name === 'whisk');
  if (whisk) {
    lines.push('', '## Targets (issue 31), whisk against the reference, mean of the rounds', '');
    const target = (label, w, key, ref, want, higher = true) => {
      const r = cs.find((c) => c.name === ref);
      if (!r) return;
      const v = mean(cellsOf(whisk, w), key);
      const b = mean(cellsOf(r, w), key);
      const x = v / b;
      lines.push(
        `- ${label}: ${fmt(v, 1)} against ${r.label}'s ${fmt(b, 1)} = ${x.toFixed(2)}× (target ${higher ? '≥' : '≤'} ${want}×): ${(higher ? x >= want : x <= want) ? 'met' : 'missed'}`,
      );
    };
    target('json req/s', 'json', 'rps', REFERENCE, 1);
    target('json p99 ms (closed loop)', 'json', 'p99', REFERENCE, 1.2, false);
    target('json p99 ms (paced)', 'json-paced', 'p99', REFERENCE, 1, false);
    target('10 KB req/s', '10k', 'rps', REFERENCE, 1);
    target('10 KB p99 ms (closed loop)', '10k', 'p99', REFERENCE, 1.2, false);
    target('sleep 10 ms req/s at c=512', 'sleep', 'rps', REFERENCE, 1);
    target('WebSocket echo messages/s', 'ws', 'rate', REFERENCE, 0.8);
    const ref = cs.find((c) => c.name === REFERENCE);
    if (ref)
      lines.push(
        `- idle memory: ${fmt(whisk.memory / 1048576, 1)} MiB against ${ref.label}'s ${fmt(ref.memory / 1048576, 1)} MiB (target ≤ 1×): ${whisk.memory <= ref.memory ? 'met' : 'missed'}`,
      );
  }
  // Per unit (request, message, event), round 1; older runs' JSON has no per-class figures for ws and sse.
  const units = [
    ['json', 'request', 'cpuUsPerRequestByClass', 'contextSwitchesPerRequest'],
    ['ws', 'WebSocket message', 'cpuUsPerUnitByClass', 'contextSwitchesPerUnit'],
    ['sse', 'SSE event', 'cpuUsPerUnitByClass', 'contextSwitchesPerUnit'],
  ];
  for (const [w, unit, key, switches] of units) {
    lines.push('', `## CPU by process class (µs per ${unit}, ${w}, round 1) and context switches`, '');
    for (const c of cs) {
      const x = cellsOf(c, w)[0];
      if (x?.[key]) lines.push(`- ${c.label}: ${byClass(x[key])}; ${fmt(x[switches], 1)} context switches`);
    }
  }
  lines.push('', `Versions: ${results.versions}`, '', 'Commands: see bench/asgi/peers/start.sh and bench/asgi.mjs.', '');
  return lines.join('\n');
}

export async function runAsgi() {
  buildAsgiImages();
  const started = new Date();
  const versions = sh('docker', [
    'run',
    '--rm',
    '--network',
    'host',
    '--entrypoint',
    'sh',
    'bench-asgi-peers:bench',
    '-c',
    "dpkg-query -W -f='${Package} ${Version}, ' python3-uvicorn python3-gunicorn python3-hypercorn python3-daphne python3-fastapi python3-uvloop python3-httptools nginx 2>/dev/null; python3 --version",
  ]).trim();
  const results = {
    date: started.toISOString(),
    quick: QUICK,
    rounds: ROUNDS,
    duration: DURATION,
    base: BASE_IMAGE,
    whiskEnv: args['whisk-env'],
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memory: os.totalmem() },
    versions,
    contenders: [],
  };
  for (const c of ASGI_CONTENDERS.filter((x) => !args.only || args.only.split(',').includes(x.name))) results.contenders.push(await measureContender(c));
  const stamp = `${started.toISOString().slice(0, 19).replace(/[:T]/g, '-') + (QUICK ? '-quick' : '')}-asgi`;
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(dir, `${stamp}.md`), asgiReport(results));
  log(`wrote bench/results/${stamp}.{md,json}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAsgi().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
