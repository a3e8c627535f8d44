/**
 * Resolves the application to serve from the options and the files on disk: what kind of
 * entry point it is, where it lives, and the directories Apache will serve. All paths are
 * checked here, so a bad one is reported before Apache is started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { isIdentifier, isModuleName } from '../options/python-names.js';
import type { Options, Sources } from '../options/table.js';

/** One `--url-alias URL PATH`, resolved. */
export interface UrlAlias {
  /** URL prefix, normalised to start with `/` and not end with `/` (except `/` itself). */
  url: string;
  /** Absolute filesystem path of the file or directory served. */
  path: string;
  /** True when `path` is a single file (Apache `<Files>` access), false for a directory. */
  isFile: boolean;
}

/** The resolved application, as the configuration and handler need it. */
export interface Application {
  /** `script` | `module` | `paste` | `asgi` | `static` (after auto-detection). */
  type: 'script' | 'module' | 'paste' | 'asgi' | 'static';
  /** Absolute path (script, paste) or dotted module name (module, asgi); undefined for static. */
  entryPoint?: string;
  /** Name of the WSGI callable (from `module:callable` or `--callable-object`). */
  callableObject: string;
  /** Absolute daemon working directory; prepended to sys.path. */
  workingDirectory: string;
  /** Absolute extra sys.path entries, in order. */
  pythonPaths: string[];
  /** URL aliases, longest URL first (Apache's Alias takes the first match). */
  aliases: UrlAlias[];
  /** Absolute document root, or undefined for whisk's empty one inside the server root. */
  documentRoot?: string;
  /** How the entry point was found: given, or the file auto-detection matched. */
  detected?: string;
  /** Things to say in the start log, e.g. a static directory that holds Python source. */
  warnings: string[];
  /** Absolute paths of `--include-file`s, in order. */
  includeFiles: string[];
  /** Absolute path of `--rewrite-rules`, if given. */
  rewriteRules?: string;
  /** `--service-script`s: each name once, each script an existing file (absolute path). */
  services: { name: string; script: string }[];
  /** The directory whisk was started in, which relative paths of other options start from. */
  root: string;
}

function mustExist(p: string, what: string, want: 'file' | 'directory' | 'any'): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new UsageError(`${what}: ${JSON.stringify(p)} does not exist; allowed: an existing ${want === 'any' ? 'file or directory' : want}`);
  }
  if (want === 'file' && !st.isFile()) throw new UsageError(`${what}: ${JSON.stringify(p)} is not a file; allowed: an existing file`);
  if (want === 'directory' && !st.isDirectory()) throw new UsageError(`${what}: ${JSON.stringify(p)} is not a directory; allowed: an existing directory`);
  return st;
}

/** Normalises a URL prefix: leading `/`, no trailing `/`, no `//`. */
export function normaliseUrl(url: string): string {
  const u = `/${url}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return u;
}

/**
 * Looks for an entry point when none is given, in the working directory:
 * `wsgi.py` or `app.wsgi` (script), a Django project (`manage.py` beside `NAME/wsgi.py`:
 * module `NAME.wsgi`), a single `*.ini` with an `[app:main]` section (paste).
 */
function autodetect(dir: string): { type: Application['type']; entryPoint: string; detected: string } | undefined {
  for (const f of ['wsgi.py', 'app.wsgi', 'application.wsgi']) {
    if (fs.existsSync(path.join(dir, f))) return { type: 'script', entryPoint: path.join(dir, f), detected: f };
  }
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (fs.existsSync(path.join(dir, 'manage.py'))) {
    const proj = entries.find(
      (e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'wsgi.py')) && fs.existsSync(path.join(dir, e.name, 'settings.py')),
    );
    if (proj) return { type: 'module', entryPoint: `${proj.name}.wsgi`, detected: `manage.py + ${proj.name}/wsgi.py` };
  }
  const inis = entries.filter((e) => e.isFile() && e.name.endsWith('.ini') && /^\[app:main\]/m.test(fs.readFileSync(path.join(dir, e.name), 'utf8')));
  if (inis.length === 1) return { type: 'paste', entryPoint: path.join(dir, inis[0].name), detected: inis[0].name };
  return undefined;
}

/**
 * Where the application's Python runs: `--working-directory` (the start directory by
 * default) and the `--python-path` directories, absolute, for the daemons and for the
 * programs `whisk run` starts.
 *
 * @throws {UsageError} a directory that does not exist
 */
export function resolvePythonPaths(options: Options, cwd: string): { workingDirectory: string; pythonPaths: string[] } {
  const workingDirectory = path.resolve(cwd, options['working-directory'] ?? '.');
  mustExist(workingDirectory, '--working-directory', 'directory');
  const pythonPaths = options['python-path'].map((p) => path.resolve(cwd, p));
  for (const p of pythonPaths) mustExist(p, '--python-path', 'directory');
  return { workingDirectory, pythonPaths };
}

/** True when `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
}

/**
 * A warning when a directory served as static files holds the application's own Python
 * source (its working directory, entry point or --python-path, or .py files at its top),
 * which would then be downloadable.
 */
function sourceWarning(what: string, dir: string, code: string[]): string | undefined {
  const inside = code.find((c) => within(c, dir));
  let py: string | undefined;
  try {
    py = fs.readdirSync(dir).find((f) => f.endsWith('.py'));
  } catch {
    /* a file alias, or unreadable: nothing to list */
  }
  if (!inside && !py) return undefined;
  return `warning: ${what} serves ${dir}, which holds the application's Python source (${inside ?? path.join(dir, py as string)}); anyone can download it. Serve a directory of static files only (e.g. collectstatic's STATIC_ROOT).`;
}

/** Refuses the root directory as something to serve: it would publish the whole filesystem. */
function notRoot(dir: string, what: string): void {
  if (dir === '/') throw new UsageError(`${what}: "/" would serve the whole filesystem; allowed: a directory of files to publish, such as /app/static`);
}

/** `--url-alias URL PATH`s: absolute, checked, longest URL first (so the most specific wins). */
function resolveAliases(options: Options, abs: (p: string) => string): UrlAlias[] {
  return options['url-alias']
    .map(([url, p]): UrlAlias => {
      if (!url.startsWith('/')) throw new UsageError(`--url-alias: URL ${JSON.stringify(url)} must start with "/"; allowed: a URL path such as /static`);
      const full = abs(p);
      notRoot(full, `--url-alias ${url}`);
      const st = mustExist(full, `--url-alias ${url}`, 'any');
      return { url: normaliseUrl(url), path: full, isFile: st.isFile() };
    })
    .sort((a, b) => b.url.length - a.url.length);
}

/** A directory to serve at `/`, checked (`--document-root`, or a static application's entry point). */
function servedDirectory(dir: string, what: string): string {
  notRoot(dir, what);
  mustExist(dir, what, 'directory');
  return dir;
}

/** What the entry point step decides. */
type EntryPoint = Pick<Application, 'type' | 'entryPoint' | 'callableObject' | 'detected' | 'documentRoot'>;

/**
 * The application type and entry point: given, or found in the working directory
 * ({@link autodetect}); a script or ini file checked, a module name split at `:` into the
 * module and its callable; a static application's directory as the document root.
 */
function resolveEntryPoint(
  options: Options,
  sources: Sources,
  workingDirectory: string,
  abs: (p: string) => string,
  documentRoot: string | undefined,
): EntryPoint {
  let type = options['application-type'];
  let entryPoint = options['entry-point'];
  let detected: string | undefined;
  if (entryPoint === undefined && type !== 'static') {
    const found = autodetect(workingDirectory);
    if (!found) {
      throw new UsageError(
        `no entry point given, and none found in ${workingDirectory} (looked for wsgi.py, app.wsgi, a Django project with manage.py, a Paste .ini with [app:main]); allowed: a script path, --application-type module NAME, --application-type paste FILE.ini, or --application-type static`,
      );
    }
    if (sources['application-type'] !== 'default' && found.type !== type) {
      throw new UsageError(
        `no entry point given for --application-type ${type}; found ${found.detected}, which is a ${found.type}; give the entry point explicitly`,
      );
    }
    ({ type, entryPoint, detected } = found);
  }
  const callableObject = options['callable-object'];
  switch (type) {
    case 'script':
    case 'paste': {
      const file = abs(entryPoint as string);
      mustExist(file, `entry point (--application-type ${type})`, 'file');
      return { type, entryPoint: file, callableObject, detected, documentRoot };
    }
    case 'module':
    case 'asgi': {
      const [mod, callable] = (entryPoint as string).split(/:(.*)/s);
      if (!isModuleName(mod) || (callable !== undefined && !isIdentifier(callable))) {
        throw new UsageError(
          `entry point (--application-type ${type}): ${JSON.stringify(entryPoint)} is not a module name; allowed: a dotted Python module name such as ${type === 'asgi' ? 'example.asgi' : 'example.wsgi'}, optionally :callable`,
        );
      }
      return { type, entryPoint: mod, callableObject: callable || callableObject, detected, documentRoot };
    }
    default: {
      const root = documentRoot ?? (entryPoint === undefined ? undefined : servedDirectory(abs(entryPoint), 'entry point (--application-type static)'));
      return { type, entryPoint: undefined, callableObject, detected, documentRoot: root };
    }
  }
}

/** `--service-script NAME SCRIPT`s: absolute, checked, one a name. */
function resolveServices(options: Options, abs: (p: string) => string): Application['services'] {
  const services = options['service-script'].map(([name, script]) => ({ name, script: abs(script) }));
  services.forEach((s, i) => {
    if (services.findIndex((o) => o.name === s.name) !== i) {
      throw new UsageError(`--service-script ${s.name}: given twice; allowed: one script a name (each is the process group service:NAME)`);
    }
    mustExist(s.script, `--service-script ${s.name}`, 'file');
  });
  return services;
}

/** A warning for each directory served as static files that holds the application's Python source. */
function servedSourceWarnings(app: Pick<Application, 'type' | 'entryPoint' | 'workingDirectory' | 'pythonPaths' | 'aliases' | 'documentRoot'>): string[] {
  if (app.type === 'static') return [];
  const code = [app.workingDirectory, ...app.pythonPaths, ...(app.type === 'module' || app.type === 'asgi' ? [] : [app.entryPoint as string])];
  const served: [string, string][] = app.aliases.filter((a) => !a.isFile).map((a) => [`--url-alias ${a.url}`, a.path]);
  if (app.documentRoot) served.push(['--document-root', app.documentRoot]);
  return served.map(([what, dir]) => sourceWarning(what, dir, code)).filter((w): w is string => w !== undefined);
}

/**
 * Resolves and checks the application. Relative paths are taken from `cwd`, as
 * mod_wsgi-express does.
 *
 * @param options merged options
 * @param sources where each option came from (an explicitly given `--application-type`
 *   disables auto-detection of the type)
 * @param cwd the directory whisk was started in (`/app` in the image)
 * @throws {UsageError} an entry point, `--url-alias` path, `--working-directory`,
 *   `--python-path` or `--document-root` that does not exist, or a malformed module name.
 */
export function resolveApplication(options: Options, sources: Sources, cwd: string): Application {
  const abs = (p: string) => path.resolve(cwd, p);
  const { workingDirectory, pythonPaths } = resolvePythonPaths(options, cwd);
  const aliases = resolveAliases(options, abs);
  const given = options['document-root'];
  const entry = resolveEntryPoint(options, sources, workingDirectory, abs, given === undefined ? undefined : servedDirectory(abs(given), '--document-root'));
  const includeFiles = options['include-file'].map(abs);
  for (const f of includeFiles) mustExist(f, '--include-file', 'file');
  const rewriteRules = options['rewrite-rules'] === undefined ? undefined : abs(options['rewrite-rules']);
  if (rewriteRules) mustExist(rewriteRules, '--rewrite-rules', 'file');
  const services = resolveServices(options, abs);
  const warnings = servedSourceWarnings({ ...entry, workingDirectory, pythonPaths, aliases });
  return { ...entry, workingDirectory, pythonPaths, aliases, warnings, includeFiles, rewriteRules, services, root: cwd };
}
