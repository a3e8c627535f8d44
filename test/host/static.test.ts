/**
 * Static files from --url-alias and --document-root: dotfiles and backup files are never
 * served, and symlinks are followed only where the rule allows (followsSymlinks in plan/config/static.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { echoApp, start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

const HIDDEN = ['.env', '.git/config', '.htaccess', 'sub/.secret', 'site.css~', '.site.css.swp', 'settings.py.bak', 'app.js.orig'];

function staticApp(): string {
  const files: Record<string, string> = { 'static/site.css': 'body {}\n', 'static/.well-known/security.txt': 'Contact: x\n' };
  for (const h of HIDDEN) files[`static/${h}`] = 'SECRET\n';
  return tempApp('static', echoApp("'app:' + environ['PATH_INFO']"), files);
}

describe('hidden and backup files', () => {
  it('answer 404 from a --url-alias directory, .well-known/ excepted', async () => {
    const s = await start(staticApp(), ['--url-alias', '/static', 'static', 'wsgi.py']);
    expect((await request(s.port, '/static/site.css')).status).toBe(200);
    expect((await request(s.port, '/static/.well-known/security.txt')).body).toBe('Contact: x\n');
    for (const h of HIDDEN) {
      const r = await request(s.port, `/static/${h}`);
      expect(r.status, h).toBe(404);
      expect(r.body, h).not.toContain('SECRET');
    }
  });

  it('answer 404 from the document root, while other URLs still reach the application', async () => {
    const s = await start(staticApp(), ['--document-root', 'static', 'wsgi.py']);
    expect((await request(s.port, '/site.css')).body).toBe('body {}\n');
    for (const h of HIDDEN) expect((await request(s.port, `/${h}`)).status, h).toBe(404);
    expect((await request(s.port, '/.not-a-file')).body).toBe('app:/.not-a-file');
    expect((await request(s.port, '/page')).body).toBe('app:/page');
  });
});

describe('symlinks', () => {
  it('are followed under /usr (Debian packages) and, elsewhere, only when link and target have one owner', async () => {
    const app = staticApp();
    const dir = path.join(app, 'static');
    // Root owns the app's files here, as after the image's COPY; nobody (the server's user) makes a link at run time.
    fs.symlinkSync('site.css', path.join(dir, 'same-owner.css'));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd-by-root'));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd-by-app'));
    fs.lchownSync(path.join(dir, 'passwd-by-app'), 65534, 65534);
    const usr = fs.mkdtempSync('/usr/local/share/whisk-test-');
    fs.chmodSync(usr, 0o755);
    fs.symlinkSync('/etc/hostname', path.join(usr, 'hostname'));
    try {
      const s = await start(app, ['--url-alias', '/static', 'static', '--url-alias', '/usr', usr, 'wsgi.py']);
      expect((await request(s.port, '/static/same-owner.css')).body).toBe('body {}\n');
      const byApp = await request(s.port, '/static/passwd-by-app');
      expect(byApp.status).toBe(403);
      expect(byApp.body).not.toContain('root:');
      expect((await request(s.port, '/usr/hostname')).body).toBe(fs.readFileSync('/etc/hostname', 'utf8'));
    } finally {
      fs.rmSync(usr, { recursive: true, force: true });
    }
  });
});
