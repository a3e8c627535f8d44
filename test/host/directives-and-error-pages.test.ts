/**
 * The escape hatch and error pages, by their effect: --include-file and --rewrite-rules carry
 * real directives; --error-document and --error-override give the site's own error page;
 * --header-buffer-size lets a daemon send large response headers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, request } from '../helpers/http.js';
import { start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const APP = fixture('error-pages.py');

function app(): string {
  const dir = tempApp('escape', APP, {
    'conf/extra.conf': 'Redirect 301 /old /new\n',
    'conf/rewrite.conf': 'RewriteRule ^legacy$ /modern [R=302,L]\n',
    'errors/500.html': '<h1>Our own 500 page</h1>\n',
  });
  for (const f of ['conf', 'errors']) fs.chmodSync(path.join(dir, f), 0o755);
  return dir;
}

describe('--include-file and --rewrite-rules', () => {
  it('carry directives whisk has no option for', async () => {
    const s = await start(app(), ['--include-file', 'conf/extra.conf', '--rewrite-rules', 'conf/rewrite.conf', 'wsgi.py']);
    const moved = await request(s.port, '/old');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toMatch(/\/new$/);
    const legacy = await request(s.port, '/legacy');
    expect(legacy.status).toBe(302);
    expect(legacy.headers.get('location')).toMatch(/\/modern$/);
    expect((await request(s.port, '/other')).body).toBe('app:/other');
  });

  it('are refused, started as root, when another user can write them', async () => {
    const dir = app();
    fs.chownSync(path.join(dir, 'conf/extra.conf'), 65534, 65534);
    // A free port: the ports are checked first, and the demo may hold whisk's default 8000.
    const r = await execa(
      WHISK,
      ['start', '--port', String(await freePort()), '--user', 'nobody', '--group', 'nogroup', '--include-file', 'conf/extra.conf', 'wsgi.py'],
      { cwd: dir, reject: false },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^whisk: error: --include-file .*extra\.conf: is owned by uid 65534, and whisk runs as root/);
  });
});

describe('--error-document and --error-override', () => {
  it("give the site's own page instead of the application's error response", async () => {
    const s = await start(app(), ['--url-alias', '/errors', 'errors', '--error-document', '500', '/errors/500.html', '--error-override', 'wsgi.py']);
    const r = await request(s.port, '/fail');
    expect(r.status).toBe(500);
    expect(r.body).toBe('<h1>Our own 500 page</h1>\n');
    const plain = await start(app(), ['wsgi.py']);
    expect((await request(plain.port, '/fail')).body).toBe('traceback with secrets');
  });
});

describe('--header-buffer-size', () => {
  it("lets the application send response headers larger than mod_wsgi's 32768-byte default", async () => {
    // curl: Node's HTTP client itself refuses headers over 16 KiB.
    const get = async (port: number) => (await execa('curl', ['-sS', '-D', '-', '-o', '/dev/null', `http://127.0.0.1:${port}/big-header`])).stdout;
    const small = await start(app(), ['wsgi.py']);
    expect(await get(small.port)).toMatch(/^HTTP\/1\.1 500 /);
    const big = await start(app(), ['--header-buffer-size', '65536', 'wsgi.py']);
    const headers = await get(big.port);
    expect(headers).toMatch(/^HTTP\/1\.1 200 /);
    expect(headers).toContain(`X-Big: ${'x'.repeat(40000)}`);
  });
});
