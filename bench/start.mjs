#!/usr/bin/env node
/**
 * `docker run` → first 200 alone, for every contender of both suites (`npm run bench` measures
 * it too, after each contender's cells): each container started as users start one
 * (`docker run -p 127.0.0.1:PORT:INSIDE IMAGE`, measure.mjs firstOk), one contender after
 * another, STARTS times each, alternated by round so a slower minute hits everyone.
 *
 *   node bench/start.mjs [--starts N] [--only NAME,NAME]
 * Writes bench/results/<date>-start.{json,md}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ASGI_CONTENDERS } from './asgi.mjs';
import { CONTENDERS, ROOT, WORKLOADS } from './contenders.mjs';
import { buildAsgiImages, buildWsgiImages } from './images.mjs';
import { firstOk } from './measure.mjs';

const { values: args } = parseArgs({ strict: false, options: { starts: { type: 'string', default: '7' }, only: { type: 'string' } } });
const only = typeof args.only === 'string' ? args.only.split(',') : undefined;
const log = (...m) => console.error('bench start:', ...m);

/** Each contender: its suite, the app it starts and the URL it waits for. */
const runs = [
  ...CONTENDERS.filter((c) => !c.name.startsWith('whisk-')).map((c) => ({
    suite: 'wsgi',
    contender: c,
    app: c.images.django ? 'django' : 'hello',
    urlPath: c.name === 'nginx' ? WORKLOADS['static-64k'].path : '/',
  })),
  ...ASGI_CONTENDERS.map((c) => ({ suite: 'asgi', contender: c, app: 'asgi', urlPath: '/json' })),
].filter((r) => !only || only.includes(r.contender.name) || only.includes(`${r.suite}:${r.contender.name}`));

buildWsgiImages();
buildAsgiImages();
const started = new Date();
const times = new Map(runs.map((r) => [r, []]));
for (let i = 0; i < Number(args.starts); i++) {
  for (const r of runs) {
    const { all } = await firstOk(r.contender, r.app, r.urlPath, [], 1);
    times.get(r).push(...all);
    log(`${r.suite} ${r.contender.name} start ${i + 1}: ${all[0].toFixed(2)} s`);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const results = {
  date: started.toISOString(),
  starts: Number(args.starts),
  contenders: runs.map((r) => ({
    suite: r.suite,
    name: r.contender.name,
    label: r.contender.label,
    urlPath: r.urlPath,
    median: median(times.get(r)),
    all: times.get(r),
  })),
};
const stamp = `${started.toISOString().slice(0, 19).replace(/[:T]/g, '-')}-start`;
const dir = path.join(ROOT, 'bench/results');
fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
const rows = results.contenders.map(
  (c) =>
    `| ${c.suite} | ${c.label} | ${c.median.toFixed(2)} | ${[...c.all]
      .sort((a, b) => a - b)
      .map((t) => t.toFixed(2))
      .join(' ')} |`,
);
fs.writeFileSync(
  path.join(dir, `${stamp}.md`),
  [
    `# docker run → first 200, ${results.date.slice(0, 10)}`,
    '',
    `Each contender's image started as users start one (\`docker run -p 127.0.0.1:PORT:INSIDE IMAGE\`, the default bridge network; whisk with the image's own settings), ${results.starts} times, the contenders alternated; the time from the container's start to the first 200 of the URL (the WSGI suite: the Django page, nginx alone its static file; the ASGI suite: /json). Seconds.`,
    '',
    '| suite | contender | median | every start |',
    '| --- | --- | --: | --- |',
    ...rows,
    '',
  ].join('\n'),
);
log(`wrote bench/results/${stamp}.{md,json}`);
