/**
 * --metrics scraped by a real Prometheus (Debian's package, on this machine, listening on
 * 127.0.0.1 only) through the container's published port, as a Prometheus server in the
 * cluster would; the series are read back through Prometheus's HTTP API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, removeAll, serving } from '../helpers/docker.js';
import { fixture } from '../helpers/files.js';
import { freePort, request, waitFor200 } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

let prometheus: ChildProcess | undefined;
beforeAll(buildImages);
afterAll(async () => {
  prometheus?.kill();
  await removeAll();
});

/** One instant-vector query: the value of the first series, or undefined. */
async function query(port: number, promql: string): Promise<number | undefined> {
  const r = await request(port, `/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = JSON.parse(r.body) as { data: { result: { value: [number, string] }[] } };
  const first = body.data.result[0];
  return first ? Number(first.value[1]) : undefined;
}

/** Starts Prometheus on 127.0.0.1, scraping /.whisk/metrics on `target` every second; its port. */
async function scrapedBy(target: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-prometheus-'));
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, scrape_timeout: 1s }',
      'scrape_configs:',
      '  - job_name: whisk',
      '    metrics_path: /.whisk/metrics',
      `    static_configs: [{ targets: ["127.0.0.1:${target}"] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  prometheus?.kill();
  prometheus = spawn(
    'prometheus',
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  await waitFor200(port, '/-/ready', 60);
  return port;
}

describe('--metrics with a real Prometheus', () => {
  it('is refused to a scraper outside --status-allow', async () => {
    const c = await serving(exampleTag('hello'), { env: ['WHISK_METRICS=1'] });
    expect((await request(c.port, '/.whisk/metrics')).status).toBe(403);
  });

  it('is scraped: Apache, mod_wsgi and up series, queried back through the Prometheus API', async () => {
    // Through Docker's published port the peer is the bridge gateway (172.16.0.0/12).
    const c = await serving(exampleTag('hello'), { env: ['WHISK_METRICS=1', 'WHISK_STATUS_ALLOW=172.16.0.0/12'] });
    const port = await scrapedBy(c.port);
    for (let i = 0; i < 25; i++) expect((await request(c.port, '/')).status).toBe(200);
    // Reports come every 2 s and scrapes every 1 s: wait for a scrape that has the requests.
    let requests: number | undefined;
    for (let i = 0; i < 30 && !(requests !== undefined && requests >= 25); i++) {
      await sleep(1000);
      requests = await query(port, 'mod_wsgi_requests_total{job="whisk"}');
    }
    expect(requests).toBeGreaterThanOrEqual(25);
    expect(await query(port, 'up{job="whisk"}')).toBe(1);
    expect(await query(port, 'apache_up{job="whisk"}')).toBe(1);
    expect(await query(port, 'apache_accesses_total{job="whisk"}')).toBeGreaterThanOrEqual(25);
    expect(await query(port, 'apache_workers{job="whisk",state="idle"}')).toBeGreaterThan(0);
    expect(await query(port, 'mod_wsgi_processes{job="whisk"}')).toBeGreaterThanOrEqual(1);
    expect(await query(port, 'mod_wsgi_threads{job="whisk"}')).toBeGreaterThanOrEqual(5);
    expect(await query(port, 'mod_wsgi_process_starts_total{job="whisk"}')).toBeGreaterThanOrEqual(1);
    // Scrapes stay out of the access log.
    expect(await c.logs()).not.toMatch(/GET \/\.whisk\/metrics/);
  });

  it("adds up the application's own prometheus_client metrics over its processes, recycled ones included: each metric once, no count lost or doubled", async () => {
    const image = await buildApp('app-metrics', {
      Dockerfile:
        'FROM whisk:onbuild\nCMD ["--processes", "2", "--threads", "1", "--maximum-requests", "7", "--maximum-requests-jitter", "2", "--metrics", "--status-allow", "172.16.0.0/12", "--application-type", "module", "app:app"]\n',
      'apt-packages.txt': 'python3-flask\npython3-prometheus-client\n',
      'app.py': fixture('app-metrics-flask.py'),
    });
    const c = await serving(image);
    // Three clients at once, 20 orders each: both daemons serve, and each is recycled after 7 to 9.
    const pids = new Set<string>();
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let i = 0; i < 20; i++) {
          const r = await request(c.port, '/order');
          expect(r.status).toBe(200);
          pids.add(r.body);
        }
      }),
    );
    expect(pids.size).toBeGreaterThanOrEqual(4); // 2 processes, each replaced at least once
    const page = (await request(c.port, '/.whisk/metrics')).body;
    expect(page.match(/^# TYPE shop_orders_total counter$/gm)).toHaveLength(1);
    expect(page.match(/^shop_orders_total\{kind="book"\} /gm)).toHaveLength(1);
    expect(page.match(/^# TYPE shop_order_seconds histogram$/gm)).toHaveLength(1);
    const port = await scrapedBy(c.port);
    let orders: number | undefined;
    for (let i = 0; i < 20 && orders === undefined; i++) {
      await sleep(1000);
      orders = await query(port, 'shop_orders_total{job="whisk",kind="book"}');
    }
    expect(orders).toBe(60);
    expect(await query(port, 'shop_order_seconds_count{job="whisk"}')).toBe(60);
    expect(await query(port, 'whisk_process_recycles_total{job="whisk",reason="requests"}')).toBeGreaterThanOrEqual(4);
  });
});
