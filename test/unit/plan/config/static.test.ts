import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { followsSymlinks, staticView } from '../../../../entrypoint/plan/config/static.js';
import { usageFailure } from '../../../helpers/options.js';
import { contextOf } from '../../../helpers/plan.js';

const view = (argv: string[], app: Partial<Application> = {}) => staticView(contextOf(argv, app));

describe('static files', () => {
  it('follows symlinks only under /usr, where Debian packages link their assets', () => {
    expect(['/usr', '/usr/share/javascript'].map(followsSymlinks)).toEqual([true, true]);
    expect(['/usrx', '/app/static', '/'].map(followsSymlinks)).toEqual([false, false, false]);
  });

  it('uses an empty htdocs in the server root when no --document-root is given, and mounts the app under it', () => {
    const v = view(['--mount-point', '/shop']);
    expect(v).toMatchObject({ documentRoot: '/srv/r/htdocs', mountDirectory: '/srv/r/htdocs/shop', documentRootDirectory: { followSymlinks: false } });
    expect(v.staticCacheControl).toBe('public, max-age=60');
  });

  it('gives a file alias its directory and <Files> name, a directory alias itself', () => {
    const v = view([], {
      aliases: [
        { url: '/robots.txt', path: '/app/robots.txt', isFile: true },
        { url: '/js', path: '/usr/share/javascript', isFile: false },
      ],
    });
    expect(v.aliases).toEqual([
      { url: '/robots.txt', path: '/app/robots.txt', directory: '/app', file: 'robots.txt', followSymlinks: false },
      { url: '/js', path: '/usr/share/javascript', directory: '/usr/share/javascript', file: undefined, followSymlinks: true },
    ]);
  });

  it('writes the precompressed patterns with [.] (mod_rewrite keeps a doubled backslash doubled)', () => {
    const { static: s } = view([]);
    expect(s.compressible).toMatch(/^\[\.\]\(css\|js\|.*\)\$$/);
    expect(new RegExp(s.variant).test('site.css.br')).toBe(true);
    expect(new RegExp(s.variant).test('site.css')).toBe(false);
    expect(s.compressibleOrVariant).not.toContain('\\');
  });

  it('refuses an alias whose file name <Files> would read as a wildcard', () => {
    expect(usageFailure(() => view([], { aliases: [{ url: '/r', path: '/app/r[1].txt', isFile: true }] }))).toMatch(
      /^--url-alias \/r: "r\[1\]\.txt" contains "\[", a wildcard in Apache's <Files>/,
    );
  });
});
