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
import { buildImages, exampleTag, removeAll, serving } from '../helpers/docker.js';
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

describe('--metrics with a real Prometheus', () => {
  it('is refused to a scraper outside --status-allow', async () => {
    const c = await serving(exampleTag('hello'), { env: ['WHISK_METRICS=1'] });
    expect((await request(c.port, '/.whisk/metrics')).status).toBe(403);
  });

  it('is scraped: Apache, mod_wsgi and up series, queried back through the Prometheus API', async () => {
    // Through Docker's published port the peer is the bridge gateway (172.16.0.0/12).
    const c = await serving(exampleTag('hello'), { env: ['WHISK_METRICS=1', 'WHISK_STATUS_ALLOW=172.16.0.0/12'] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-prometheus-'));
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s }',
        'scrape_configs:',
        '  - job_name: whisk',
        '    metrics_path: /.whisk/metrics',
        `    static_configs: [{ targets: ["127.0.0.1:${c.port}"] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    prometheus = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    await waitFor200(port, '/-/ready', 60);
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
});
