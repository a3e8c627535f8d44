import { describe, expect, it } from 'vitest';
import { daemonView } from '../../../../entrypoint/plan/config/daemon.js';
import { recyclingView } from '../../../../entrypoint/plan/config/recycling.js';
import { contextOf } from '../../../helpers/plan.js';

describe('recycling the application processes', () => {
  it("leaves --maximum-requests to mod_wsgi's maximum-requests= when no jitter is asked for", () => {
    const ctx = contextOf(['--maximum-requests', '1000']);
    expect(daemonView(ctx).maximumRequests).toBe(1000);
    expect(recyclingView(ctx)).toEqual({ maximumRequests: 0, maximumRequestsJitter: 0, maximumRss: 0 });
  });

  it('counts the requests in the runtime with jitter (mod_wsgi has none), and memory always there, in bytes', () => {
    const ctx = contextOf(['--maximum-requests', '1000', '--maximum-requests-jitter', '50', '--maximum-rss', '512']);
    expect(daemonView(ctx).maximumRequests).toBe(0);
    expect(recyclingView(ctx)).toEqual({ maximumRequests: 1000, maximumRequestsJitter: 50, maximumRss: 512 * 1024 * 1024 });
  });

  it("counts an ASGI process's requests in the runtime (uvicorn runs outside mod_wsgi's count)", () => {
    expect(recyclingView(contextOf(['--maximum-requests', '200'], { type: 'asgi' }))).toEqual({
      maximumRequests: 200,
      maximumRequestsJitter: 0,
      maximumRss: 0,
    });
  });
});
