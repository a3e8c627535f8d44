/**
 * Apache's status page, /.whisk/metrics and /.whisk/health answer clients on the container's
 * own machine only, decided on the connection's address: a peer inside --trust-proxy cannot
 * claim to be local with X-Forwarded-For. --status-allow matches the client as mod_remoteip
 * settled it. In a real container, reached as users reach it (a published port: the peer is
 * Docker's gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, exampleTag, exec, removeAll, serving } from '../helpers/docker.js';
import { rawGet } from '../helpers/http.js';

beforeAll(buildImages);
afterAll(removeAll);

describe('local-only URLs behind a trusted proxy', () => {
  it("X-Forwarded-For: 127.0.0.1 from a trusted peer gets 403; the container's own health check and --status-allow still work", async () => {
    const c = await serving(exampleTag('hello'), {
      env: [
        'WHISK_TRUST_PROXY_HEADER=X-Forwarded-For',
        'WHISK_TRUST_PROXY=172.16.0.0/12 192.168.0.0/16 10.0.0.0/8',
        'WHISK_METRICS=1',
        'WHISK_SERVER_STATUS=1',
        'WHISK_STATUS_ALLOW=203.0.113.0/24',
      ],
    });
    for (const p of ['/server-status', '/.whisk/metrics', '/.whisk/health']) {
      expect((await rawGet(c.port, p, { 'X-Forwarded-For': '127.0.0.1' })).status, p).toBe(403);
      expect((await rawGet(c.port, p, { 'X-Forwarded-For': '::1' })).status, p).toBe(403);
    }
    // A client the trusted balancer names inside --status-allow: the status page and metrics.
    expect((await rawGet(c.port, '/server-status', { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(200);
    expect((await rawGet(c.port, '/.whisk/metrics', { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(200);
    expect((await exec(c.container, ['/opt/whisk/dist/whisk', 'healthcheck'])).output).toMatch(/^healthy/);
    const metrics = await exec(c.container, [
      'python3',
      '-c',
      "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1/.whisk/metrics').status)",
    ]);
    expect(metrics.output).toMatch(/200/);
  });
});
