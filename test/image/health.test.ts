/**
 * Health in real containers: Docker's HEALTHCHECK, the probes a kubelet asks, --health-check-path.
 */
import { describe, expect, it } from 'vitest';
import { request, waitForHttp } from '../helpers/http.js';
import { exec, run, serving, type Running } from '../helpers/docker.js';
import { useProdApps } from '../helpers/prod-app.js';
import { setTimeout as sleep } from 'node:timers/promises';

const apps = useProdApps();

describe('health', () => {
  const fast = { Test: ['CMD', '/opt/whisk/dist/whisk', 'healthcheck'], Interval: 1e9, Timeout: 5e9, Retries: 2, StartPeriod: 1e6 }; // 0 would inherit the image's 30 s
  async function healthStatus(c: Running, want: string): Promise<string> {
    let status = '';
    for (let i = 0; i < 60 && status !== want; i++) {
      await sleep(250);
      status = (await c.container.inspect()).State.Health?.Status ?? '';
    }
    return status;
  }

  it('docker inspect shows healthy for a good app', async () => {
    const c = await serving(apps.image, { healthcheck: fast });
    expect(await healthStatus(c, 'healthy')).toBe('healthy');
  });

  it('docker inspect shows unhealthy for an app that fails to import', async () => {
    const c = await run(apps.broken, { healthcheck: fast });
    expect(await healthStatus(c, 'unhealthy')).toBe('unhealthy');
    const last = (await c.container.inspect()).State.Health?.Log?.at(-1)?.Output ?? '';
    expect(last).toContain('ImportError: no database driver');
  });

  it('/.whisk/live and /.whisk/ready answer a client outside the container (a kubelet), /.whisk/health only local ones', async () => {
    const c = await serving(apps.image);
    for (const url of ['/.whisk/live', '/.whisk/ready']) expect((await request(c.port, url)).status, url).toBe(200);
    // Through Docker's published port the peer is not the container's loopback.
    expect((await request(c.port, '/.whisk/health')).status).toBe(403);
    const b = await run(apps.broken);
    await waitForHttp(b.port, '/.whisk/live', 60);
    await sleep(1000);
    const ready = await request(b.port, '/.whisk/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).not.toContain('database');
  });

  it('--health-check-path asks the application itself', async () => {
    const c = await serving(apps.image, { env: ['WHISK_HEALTH_CHECK_PATH=/pid'] });
    const ok = await exec(c.container, ['whisk', 'healthcheck']);
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('GET /pid');
    const bad = await serving(apps.image, { env: ['WHISK_HEALTH_CHECK_PATH=/exit'] });
    expect((await exec(bad.container, ['whisk', 'healthcheck'])).code).toBe(1);
  });
});
