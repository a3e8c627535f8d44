/**
 * The start-up snapshot (entrypoint/snapshot.cjs, built in the image by the image's own
 * Node, from Node 20: whisk:latest; whisk:3.11's Node 18 starts from the bundle, as every
 * other test of that image shows, so this file runs on the newest image only): its builder
 * loads only built-ins Node has verified for snapshots, whisk does from it exactly what it
 * does from the bundle, and when the snapshot cannot be loaded the server still starts, from
 * the bundle: quietly when the launcher can tell beforehand (NODE_OPTIONS, Node installed
 * again by dpkg), with a warning when only Node can (a blob of other V8 flags).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { buildApp, buildImages, exampleTag, exec, removeAll, run, RUNTIME_IMAGE, serving, waitExit } from '../helpers/docker.js';

beforeAll(buildImages);
afterAll(removeAll);

describe('the start-up snapshot', () => {
  it("is built by the image's Node from verified built-ins only (no warning)", async () => {
    const c = await run(RUNTIME_IMAGE, { cmd: ['node', '--snapshot-blob', '/tmp/check.blob', '--build-snapshot', '/opt/whisk/dist/snapshot.cjs'] });
    expect(await waitExit(c.container, 60)).toBe(0);
    expect(await c.logs()).not.toMatch(/warning|not yet fully verified/i);
  });

  it('gives the same generated files as the bundle', async () => {
    const c = await serving(exampleTag('hello'));
    const config = (loader: string[]) => exec(c.container, [...loader, 'config', 'wsgi.py']);
    const fromSnapshot = await config(['node', '--snapshot-blob', '/opt/whisk/dist/whisk.blob']);
    const fromBundle = await config(['node', '/opt/whisk/dist/whisk.cjs']);
    expect(fromSnapshot.code).toBe(0);
    expect(fromSnapshot.output).toMatch(/WSGIDaemonProcess whisk/);
    // Each run draws its own health-check token (32 hex digits); everything else is equal.
    const token = (s: string) => s.replace(/\b[0-9a-f]{32}\b/g, 'TOKEN');
    expect(token(fromSnapshot.output)).toBe(token(fromBundle.output));
  });

  const WARNING = /whisk: warning: this Node cannot load \/opt\/whisk\/dist\/whisk\.blob \(the start-up snapshot\); starting without it/;
  const HELLO = { 'wsgi.py': "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'hello']\n" };
  // An image whose blob Node refuses: built with other V8 flags, as a blob of another Node is.
  // (Reinstalled below a second later: image layers keep whole seconds of a file's time.)
  const FOREIGN_BLOB =
    'USER root\nRUN node --max-old-space-size=100 --snapshot-blob /opt/whisk/dist/whisk.blob --build-snapshot /opt/whisk/dist/snapshot.cjs\n';

  it('with a blob Node refuses, starts the server from the bundle and says so', async () => {
    const image = await buildApp('snapshot-foreign', { ...HELLO, Dockerfile: `FROM whisk:onbuild\n${FOREIGN_BLOB}USER 1001\nCMD ["wsgi.py"]\n` });
    const c = await serving(image);
    expect((await request(c.port, '/')).body).toBe('hello');
    expect(await c.logs()).toMatch(WARNING);
  });

  it('once dpkg has installed Node again, or with NODE_OPTIONS, starts from the bundle without trying the blob', async () => {
    const reinstalled = await buildApp('snapshot-reinstalled', {
      ...HELLO,
      Dockerfile: `FROM whisk:onbuild\n${FOREIGN_BLOB}RUN sleep 1; touch /var/lib/dpkg/info/nodejs.list\nUSER 1001\nCMD ["wsgi.py"]\n`,
    });
    // (Arguments other than the image's CMD, so whisk's Node step runs: the start cache's
    // key leaves NODE_OPTIONS out, as the plan does not read it.)
    const withNodeOptions = await serving(exampleTag('hello'), { cmd: ['--processes', '1', 'wsgi.py'], env: ['NODE_OPTIONS=--max-old-space-size=100'] });
    for (const c of [await serving(reinstalled), withNodeOptions]) {
      expect((await request(c.port, '/')).status).toBe(200);
      const logs = await c.logs();
      expect(logs).toMatch(/serving the application on/);
      expect(logs).not.toMatch(WARNING);
      expect(logs).not.toMatch(/Failed to load the startup snapshot/);
    }
  });
});
