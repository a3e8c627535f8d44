import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { followsSymlinks, staticView } from '../../../../entrypoint/plan/config/static.js';
import { cmd, usageFailure } from '../../../helpers/options.js';

const app = (over: Partial<Application> = {}) => ({ type: 'script', aliases: [], ...over }) as Application;

describe('static files', () => {
  it('follows symlinks only under /usr, where Debian packages link their assets', () => {
    expect(['/usr', '/usr/share/javascript'].map(followsSymlinks)).toEqual([true, true]);
    expect(['/usrx', '/app/static', '/'].map(followsSymlinks)).toEqual([false, false, false]);
  });

  it("uses an empty htdocs in the server root when no --document-root is given, and mounts the app under it", () => {
    const v = staticView(cmd(['--mount-point', '/shop']).options, app(), '/srv/r/htdocs');
    expect(v).toMatchObject({ documentRoot: '/srv/r/htdocs', mountDirectory: '/srv/r/htdocs/shop', documentRootDirectory: { followSymlinks: false } });
    expect(v.staticCacheControl).toBe('public, max-age=60');
  });

  it('gives a file alias its directory and <Files> name, a directory alias itself', () => {
    const v = staticView(cmd([]).options, app({ aliases: [
      { url: '/robots.txt', path: '/app/robots.txt', isFile: true }, { url: '/js', path: '/usr/share/javascript', isFile: false }] }), '/srv/r');
    expect(v.aliases).toEqual([
      { url: '/robots.txt', path: '/app/robots.txt', directory: '/app', file: 'robots.txt', followSymlinks: false },
      { url: '/js', path: '/usr/share/javascript', directory: '/usr/share/javascript', file: undefined, followSymlinks: true },
    ]);
  });

  it('writes the precompressed patterns with [.] (mod_rewrite keeps a doubled backslash doubled)', () => {
    const { static: s } = staticView(cmd([]).options, app(), '/srv/r');
    expect(s.compressible).toMatch(/^\[\.\]\(css\|js\|.*\)\$$/);
    expect(new RegExp(s.variant).test('site.css.br')).toBe(true);
    expect(new RegExp(s.variant).test('site.css')).toBe(false);
    expect(s.compressibleOrVariant).not.toContain('\\');
  });

  it('refuses an alias whose file name <Files> would read as a wildcard', () => {
    expect(usageFailure(() => staticView(cmd([]).options, app({ aliases: [{ url: '/r', path: '/app/r[1].txt', isFile: true }] }), '/srv/r')))
      .toMatch(/^--url-alias \/r: "r\[1\]\.txt" contains "\[", a wildcard in Apache's <Files>/);
  });
});
