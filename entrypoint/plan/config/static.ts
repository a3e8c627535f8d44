/**
 * Static files, served by Apache itself: `--url-alias` directories and files, the document
 * root (`--document-root`, or an empty one in the server root), the cache headers of
 * `--static-max-age`, and the file patterns of the precompressed variants.
 */
import path from 'node:path';
import { apacheDirectory } from '../apache.js';
import { normaliseUrl } from '../app.js';
import { COMPRESSIBLE } from '../compressible.js';
import type { Options } from '../../options/table.js';
import type { PlanContext } from './context.js';

/** One `--url-alias`, ready for the template. */
export interface AliasView {
  url: string;
  path: string;
  /** The `<Directory>` section: the directory itself, or a single file's directory. */
  directory: string;
  /** For a single-file alias: the file's name (its `<Files>` section). */
  file?: string;
  /** Follow symlinks anywhere (a Debian package's directory under /usr), else owner match. */
  followSymlinks: boolean;
}

/** What httpd.conf needs for static files. */
export interface StaticView {
  /**
   * File-name patterns of the static sections (precompressed.conf.mustache), from
   * compressible.ts's list: a compressible file, its `.br`/`.gz` variant, either.
   */
  static: { compressible: string; variant: string; compressibleOrVariant: string };
  /** `--static-max-age` as a Cache-Control value: `public, max-age=60`; `no-cache` with `--reload-on-changes`. */
  staticCacheControl: string;
  /**
   * Files may change while the server runs (`--reload-on-changes`): no year-long caching of
   * content-hashed names and no precompressed variants, which an edit would leave stale.
   */
  filesChange: boolean;
  documentRoot: string;
  /** The document root's `<Directory>` options (symlinks.conf.mustache, as for an alias). */
  documentRootDirectory: { followSymlinks: boolean };
  /** The directory under the document root the application is mounted at. */
  mountDirectory: string;
  directoryIndex?: string;
  aliases: AliasView[];
}

/**
 * Debian's packages install under /usr, root-owned and out of the application's reach, and
 * some rely on symlinks (Django's admin static files link into /usr/share/javascript): there
 * symlinks are followed. Anywhere else only a symlink owned by the owner of its target is
 * (Apache's SymLinksIfOwnerMatch), so a link the application writes at run time (uid 1001)
 * to a system file (root's) is refused.
 */
export function followsSymlinks(dir: string): boolean {
  return dir === '/usr' || dir.startsWith('/usr/');
}

/** `--mount-point` without its trailing slash: `/sub`, or `""` for `/`. */
export function mountPrefix(options: Options): string {
  return normaliseUrl(options['mount-point']).replace(/\/$/, '');
}

/**
 * The static-file settings.
 *
 * Without `--document-root`, whisk's empty one (`htdocs` in the server root).
 *
 * @throws {UsageError} a directory path Apache's `<Directory>` or `<Files>` would read as a wildcard
 */
export function staticView(ctx: PlanContext): StaticView {
  const { options, app } = ctx;
  const documentRoot = apacheDirectory(app.documentRoot ?? ctx.paths.documentRoot, '--document-root');
  const extensions = COMPRESSIBLE.join('|');
  return {
    // `[.]` rather than a backslash: mod_rewrite reads its quoted arguments with its own
    // parser, which keeps a doubled backslash doubled; <FilesMatch> reads them as Apache does.
    static: {
      compressible: `[.](${extensions})$`,
      variant: `[.](${extensions})[.](br|gz)$`,
      compressibleOrVariant: `[.](${extensions})([.]br|[.]gz)?$`,
    },
    staticCacheControl: options['reload-on-changes'] ? 'no-cache' : `public, max-age=${options['static-max-age']}`,
    filesChange: options['reload-on-changes'],
    documentRoot,
    documentRootDirectory: { followSymlinks: followsSymlinks(documentRoot) },
    mountDirectory: apacheDirectory(documentRoot + mountPrefix(options), '--mount-point'),
    directoryIndex: options['directory-index'],
    aliases: app.aliases.map((a) => {
      const directory = apacheDirectory(a.isFile ? path.dirname(a.path) : a.path, `--url-alias ${a.url}`);
      const file = a.isFile ? apacheDirectory(path.basename(a.path), `--url-alias ${a.url}`, '<Files>') : undefined;
      return { url: a.url, path: a.path, directory, file, followSymlinks: followsSymlinks(directory) };
    }),
  };
}
