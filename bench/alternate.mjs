#!/usr/bin/env node
/**
 * What a whisk setting costs per request: whisk containers side by side, one per variant
 * (the default, and each `--variant NAME=ENV;ENV`), the same app and wrk load, cells
 * alternated between them (A B C, then C B A, …) so that the machine's drift falls on all
 * alike. Prints each variant's median req/s and CPU µs a request (its cgroup), and the median
 * of its cell-by-cell difference from the default's neighbouring cell.
 *
 *   npm run bench:alternate -- [--app hello|django] [--cells 8] [--duration 3] [--connections 16]
 *                              --variant server-timing=WHISK_SERVER_TIMING=1
 *                              --variant otlp=OTEL_EXPORTER_OTLP_ENDPOINT={sink}
 *
 * `{sink}` in a value is an OTLP/HTTP receiver on 127.0.0.1 that reads and drops what it is
 * sent (the spans' cost is the sender's). Uses the images `npm run bench` builds (its
 * `whisk-bench-*:bench`, rebuilt here from whisk:latest, cached).
 */
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENDERS, ROOT } from './contenders.mjs';
import { cell, freePort, remove, sh, startContainer, waitFor200 } from './measure.mjs';

const { values: args } = parseArgs({
  options: {
    app: { type: 'string', default: 'hello' },
    cells: { type: 'string', default: '8' },
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const log = (...m) => console.error('bench:', ...m);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** An OTLP/HTTP receiver that drops what it gets: its base URL. */
async function sink() {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${port}`;
}

const build = (tag, context, extra = []) => sh('docker', ['build', '--network', 'host', '-q', '-t', tag, ...extra, context]);
log('building the bench images from whisk:latest (cached)');
build(`whisk-example-${args.app}:bench`, path.join(ROOT, 'examples', args.app));
build(`whisk-bench-${args.app}:bench`, path.join(ROOT, 'bench/whisk'), ['--build-arg', `WHISK_APP=whisk-example-${args.app}:bench`]);

const sinkUrl = await sink();
const variants = [
  { name: 'default', env: [] },
  ...args.variant.map((v) => {
    const [name, ...rest] = v.split('=');
    return {
      name,
      env: rest
        .join('=')
        .split(';')
        .filter(Boolean)
        .map((e) => e.replaceAll('{sink}', sinkUrl)),
    };
  }),
];
const whisk = CONTENDERS.find((c) => c.name === 'whisk');
const running = [];
try {
  for (const v of variants) {
    const started = await startContainer(whisk, args.app, v.env);
    running.push({ ...v, ...started, cells: [] });
    await waitFor200(started.port, '/');
  }
  for (let i = 0; i < Number(args.cells); i++) {
    for (const r of i % 2 ? [...running].reverse() : running) {
      const c = await cell(r.container, r.port, '/', Number(args.connections), Number(args.duration));
      r.cells.push({ rps: c.rps, cpu: c.cpuUsPerRequest });
    }
  }
  const base = running[0];
  console.log(`${args.app}, c=${args.connections}, ${args.cells} alternated cells of ${args.duration} s`);
  for (const r of running) {
    const extra = r.cells.map((c, i) => c.cpu - base.cells[i].cpu);
    console.log(
      `${r.name.padEnd(16)} ${median(r.cells.map((c) => c.rps))
        .toFixed(0)
        .padStart(7)} req/s` +
        `  ${median(r.cells.map((c) => c.cpu))
          .toFixed(1)
          .padStart(7)} µs CPU a request` +
        (r === base ? '' : `  (${extra.length ? median(extra).toFixed(1) : '?'} µs more, median of the cells' differences)`),
    );
  }
} finally {
  for (const r of running) await remove(r.container);
}
