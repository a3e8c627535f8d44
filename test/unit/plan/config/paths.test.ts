import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { isLayoutEntry, SERVER_ROOT_LAYOUT } from '../../../../entrypoint/plan/config/layout.js';
import { defaultServerRoot, serverPaths } from '../../../../entrypoint/plan/config/paths.js';
import { usageFailure } from '../../../helpers/options.js';

describe('server root paths', () => {
  it('defaults to /tmp/whisk-PORT-UID, as mod_wsgi-express to /tmp/mod_wsgi-HOST:PORT:UID', () => {
    expect(defaultServerRoot(80, 1001)).toBe('/tmp/whisk-80-1001');
    expect(serverPaths(undefined, 8000, 0).serverRoot).toBe('/tmp/whisk-8000-0');
  });

  it('puts every file whisk and Apache write inside it, the probe files in probe/ and stopping beside it', () => {
    const p = serverPaths('/srv/root', 80, 0);
    expect(p).toMatchObject({
      configFile: '/srv/root/httpd.conf',
      pidFile: '/srv/root/httpd.pid',
      socketPrefix: '/srv/root/wsgi',
      handlerScript: '/srv/root/handler.wsgi',
      healthScript: '/srv/root/health.wsgi',
      metricsScript: '/srv/root/metrics.wsgi',
      accessLogScript: '/srv/root/access-log.pl',
      metricsDir: '/srv/root/probe/metrics',
      applicationMetricsDir: '/srv/root/probe/prometheus',
      responseCache: '/srv/root/response-cache',
      responseCacheLocks: '/srv/root/probe/cache-lock',
      probe: { dir: '/srv/root/probe', live: '/srv/root/probe/live', ready: '/srv/root/probe/ready', stopping: '/srv/root/stopping' },
    });
  });

  it('names every path from the one layout table: each is an entry of it, the numbered ones included', () => {
    const p = serverPaths('/srv/root', 80, 0);
    const { probe, asgiSocket, serviceScript, metricsDir, applicationMetricsDir, responseCacheLocks, serverRoot, socketPrefix, ...files } = p;
    const inRoot = [...Object.values(files), probe.dir, probe.stopping, probe.draining, asgiSocket(3), serviceScript(12)];
    for (const f of inRoot) {
      expect(path.dirname(f), f).toBe('/srv/root');
      expect(isLayoutEntry(path.basename(f)), f).toBe(true);
    }
    expect([asgiSocket(3), serviceScript(12)]).toEqual(['/srv/root/asgi-3.sock', '/srv/root/service-12.wsgi']);
    expect(Object.values(SERVER_ROOT_LAYOUT).every((e) => isLayoutEntry(e.name) || 'family' in e)).toBe(true);
  });

  it("refuses a server root Apache's <Directory> would read as a wildcard", () => {
    expect(usageFailure(() => serverPaths('/srv/r*', 80, 0))).toMatch(/^--server-root: "\/srv\/r\*" contains "\*", a wildcard/);
  });
});
