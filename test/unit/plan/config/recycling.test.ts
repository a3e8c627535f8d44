import { describe, expect, it } from 'vitest';
import { daemonView } from '../../../../entrypoint/plan/config/daemon.js';
import { recyclingView } from '../../../../entrypoint/plan/config/recycling.js';
import { contextOf } from '../../../helpers/plan.js';

describe('recycling the application processes', () => {
  it("leaves --maximum-requests to mod_wsgi's maximum-requests= when no jitter is asked for", () => {
    const ctx = contextOf(['--maximum-requests', '1000']);
    expect(daemonView(ctx).maximumRequests).toBe(1000);
    expect(recyclingView(ctx)).toEqual({ maximumRequests: 0, maximumRequestsJitter: 0, maximumRss: 0, restartInterval: 0, restartIntervalJitter: 0 });
  });

  it('counts the requests in the runtime with jitter (mod_wsgi has none), and memory always there, in bytes', () => {
    const ctx = contextOf(['--maximum-requests', '1000', '--maximum-requests-jitter', '50', '--maximum-rss', '512']);
    expect(daemonView(ctx).maximumRequests).toBe(0);
    expect(recyclingView(ctx)).toEqual({
      maximumRequests: 1000,
      maximumRequestsJitter: 50,
      maximumRss: 512 * 1024 * 1024,
      restartInterval: 0,
      restartIntervalJitter: 0,
    });
  });

  it("counts an ASGI process's requests in the runtime (uvicorn runs outside mod_wsgi's count)", () => {
    expect(recyclingView(contextOf(['--maximum-requests', '200'], { type: 'asgi' }))).toEqual({
      maximumRequests: 200,
      maximumRequestsJitter: 0,
      maximumRss: 0,
      restartInterval: 0,
      restartIntervalJitter: 0,
    });
  });

  it("leaves --restart-interval to mod_wsgi's restart-interval= without jitter; times it in the runtime with jitter, and always for ASGI", () => {
    const plain = contextOf(['--restart-interval', '3600']);
    expect([daemonView(plain).restartInterval, recyclingView(plain).restartInterval]).toEqual([3600, 0]);
    const jittered = contextOf(['--restart-interval', '3600', '--restart-interval-jitter', '600']);
    expect(daemonView(jittered).restartInterval).toBe(0);
    expect(recyclingView(jittered)).toMatchObject({ restartInterval: 3600, restartIntervalJitter: 600 });
    expect(recyclingView(contextOf(['--restart-interval', '3600'], { type: 'asgi' }))).toMatchObject({ restartInterval: 3600, restartIntervalJitter: 0 });
  });
});
