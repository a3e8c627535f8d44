/**
 * Any user, read-only root, in real containers: an arbitrary uid in group 0, root dropping to the whisk user, `--read-only` with a tmpfs /tmp, privileged ports.
 */
import { describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { exampleTag, processes, run, serving, waitExit } from '../helpers/docker.js';
import { useProdApps } from '../helpers/prod-app.js';

const apps = useProdApps();

describe('any user, read-only root', () => {
  it('runs as an arbitrary uid in group 0 (OpenShift)', async () => {
    const c = await serving(apps.image, { user: '123456:0' });
    expect((await request(c.port, '/')).body).toBe('prod app');
    expect((await processes(c)).every((p) => p.uid === '123456')).toBe(true);
  });

  it('runs as root with Apache children and mod_wsgi daemons dropped to the whisk user', async () => {
    const c = await serving(apps.image, { user: 'root' });
    expect((await request(c.port, '/')).body).toBe('prod app');
    const procs = await processes(c);
    const parent = procs.find((p) => p.args.startsWith('/usr/sbin/apache2') && !procs.find((q) => q.pid === p.ppid)?.args.startsWith('/usr/sbin/apache2'));
    expect(parent?.uid).toBe('0');
    // Apache runs its piped access logger (access-log.pl) as the user that started it, as documented.
    const children = procs.filter((p) => p.ppid === parent?.pid && !p.args.includes('access-log.pl'));
    expect(children.length).toBeGreaterThanOrEqual(2);
    expect(children.every((p) => p.uid === '1001')).toBe(true);
  });

  it('runs with a read-only root and a tmpfs /tmp (Django with its SQLite database too)', async () => {
    const opts = { host: { ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,size=16m' } } };
    const c = await serving(apps.image, opts);
    expect((await request(c.port, '/')).body).toBe('prod app');
    const d = await serving(exampleTag('django'), opts);
    expect((await request(d.port, '/')).body).toContain('0 users in the database');
    expect((await request(d.port, '/static/admin/css/base.css')).status).toBe(200);
  });

  it('says how to fix a port below 1024 that a non-root user may not bind', async () => {
    // Host networking: Docker's own network namespace lets any user bind port 80
    // (ip_unprivileged_port_start=0); the host's does not, which is the case this message is for.
    const c = await run(apps.image, { env: ['WHISK_PORT=80'], network: 'host' });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toMatch(/--port: 80 needs root here .*WHISK_PORT=8080/);
  });
});
