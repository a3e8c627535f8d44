/**
 * `--service-script` and `--proxy-mount-point` on this machine, as mod_wsgi-express's
 * WebSocket guide deploys them: a WSGI application at / and, beside it, a service script
 * that runs Debian's uvicorn (a Starlette app) on a unix socket, mounted at /ws/. Real Apache,
 * real HTTP, a real WebSocket client.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, tempTree } from '../helpers/files.js';
import { rawGet, request } from '../helpers/http.js';
import { echoApp, start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { websocket } from '../helpers/websocket.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

const SIDECAR_APP = fixture('sidecar.py');

/** The service script: as a user writes it, it replaces mod_wsgi's process with Debian's uvicorn on a unix socket. */
const SERVICE = (socket: string) =>
  [
    'import os',
    `os.execv('/usr/bin/python3', ['python3', '-m', 'uvicorn', '--uds', ${JSON.stringify(socket)}, '--no-access-log', '--proxy-headers', '--forwarded-allow-ips', '*', 'sidecar_app:app'])`,
    '',
  ].join('\n');

/** A WSGI app with a uvicorn sidecar at /ws/ (its socket in a directory the daemon's user may write). */
function splitApp() {
  const sockets = tempTree('sidecar-socket');
  fs.chmodSync(sockets, 0o777);
  const socket = path.join(sockets, 'sidecar.sock');
  const dir = tempApp('split', echoApp("'wsgi ' + environ['PATH_INFO']"), { 'sidecar_app.py': SIDECAR_APP, 'sidecar.py': SERVICE(socket) });
  return { dir, args: ['--service-script', 'sidecar', 'sidecar.py', '--proxy-mount-point', '/ws', `unix:${socket}|http://localhost/ws`] };
}

/** Waits until PATH answers 200 (the sidecar starts after Apache). */
async function until200(port: number, urlPath: string, seconds = 20) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const r = await request(port, urlPath).catch(() => undefined);
    if (r?.status === 200) return r;
    if (Date.now() > end) throw new Error(`${urlPath}: ${r?.status}`);
    await sleep(200);
  }
}

describe('--service-script with --proxy-mount-point', () => {
  it('serves the WSGI application at / and the service at /ws/, with headers the service can trust', async () => {
    const { dir, args } = splitApp();
    const s = await start(dir, args);
    expect((await request(s.port, '/orders')).body).toBe('wsgi /orders');
    await until200(s.port, '/ws/info');
    const r = await rawGet(s.port, '/ws/info', { Host: 'chat.example:8443', 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https' });
    expect(r.status).toBe(200);
    const seen = JSON.parse(r.body.toString());
    // The port the client addressed (its Host's, as UseCanonicalName Off takes it); the
    // service runs as the application's user, in its working directory.
    expect(seen).toMatchObject({
      path: '/ws/info',
      host: 'chat.example:8443',
      xff: '127.0.0.1',
      proto: 'http',
      prefix: '/ws',
      port: '8443',
      cwd: fs.realpathSync(dir),
    });
    expect(seen.uid).toBe(process.getuid?.() === 0 ? Number((await execa('id', ['-u', 'nobody'])).stdout) : process.getuid?.());
    // The bare mount point redirects to the slash form, as mod_wsgi-express's does.
    const bare = await request(s.port, '/ws', { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toMatch(/\/ws\/$/);
    // The WSGI application still answers a URL that only starts like the mount point.
    expect((await request(s.port, '/wsx')).body).toBe('wsgi /wsx');
  });

  it('tunnels a WebSocket to the service', async () => {
    const { dir, args } = splitApp();
    const s = await start(dir, args);
    await until200(s.port, '/ws/info');
    expect(await websocket(s.port, '/ws/echo', [['text', 'hello, wörld'], ['bytes', 1 << 20], ['ping']])).toEqual([true, true, true]);
  });

  it('starts the service again when it exits', async () => {
    const { dir, args } = splitApp();
    const s = await start(dir, args);
    const before = JSON.parse((await until200(s.port, '/ws/info')).body).pid;
    await request(s.port, '/ws/exit').catch(() => undefined);
    const after = JSON.parse((await until200(s.port, '/ws/info', 30)).body).pid;
    expect(after).not.toBe(before);
  });
});

describe('--proxy-mount-point', () => {
  it("forwards everything under / to an HTTP server, but never whisk's own URLs", async () => {
    const seen: string[] = [];
    const backend = http.createServer((req, res) => {
      seen.push(req.url!);
      res.end(`backend ${req.url}`);
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    try {
      const port = (backend.address() as { port: number }).port;
      const s = await start(tempApp('mount-root', echoApp("'wsgi'")), ['--proxy-mount-point', '/', `http://127.0.0.1:${port}/`], '/.whisk/ready');
      expect((await request(s.port, '/a/b?c=d')).body).toBe('backend /a/b?c=d');
      expect((await request(s.port, '/.whisk/ready')).status).toBe(200);
      expect((await request(s.port, '/.whisk/health')).status).toBe(200);
      expect(seen).toEqual(['/a/b?c=d']);
    } finally {
      backend.close();
    }
  });

  it('refuses a back end mod_proxy_http cannot reach, before anything starts', async () => {
    const r = await execa(WHISK, ['config', '--proxy-mount-point', '/x', 'https://example.com/'], { cwd: tempApp('bad-mount', echoApp("'x'")), reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--proxy-mount-point.*"https:\/\/example.com\/" is not allowed; allowed: http:\/\/HOST/);
    const missing = await execa(WHISK, ['config', '--service-script', 'chat', 'nowhere.py'], { cwd: tempApp('bad-service', echoApp("'x'")), reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/--service-script chat: ".*nowhere.py" does not exist/);
  });
});
