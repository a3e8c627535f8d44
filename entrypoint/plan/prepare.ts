/**
 * The one pipeline from settings to files: layers → options → application → view → files.
 * `whisk start` writes what it returns, `whisk config` prints it, and the tests call it as
 * they are. Nothing here writes or starts anything; it reads only the settings files and the
 * application's files (to resolve and check paths).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { checkPrintable } from '../options/printable.js';
import { readTrusted, refused } from '../safe-read.js';
import { envLayer, mergeLayers, parseArgv, parseServerArgs, type Layer, type ParsedOptions } from '../options/parse.js';
import { resolveApplication } from './app.js';
import { renderFiles } from './render.js';
import type { Runtime } from './config/context.js';
import { buildView, type ViewModel } from './view.js';
import { settingsBlock } from './config/settings.js';

/** Image-wide defaults (port 80, access log on), written by the image's Dockerfile. */
const IMAGE_DEFAULTS = process.env.WHISK_IMAGE_DEFAULTS ?? '/etc/whisk/server-args';

/** Everything `whisk start` would run. */
export interface Prepared {
  parsed: ParsedOptions;
  view: ViewModel;
  /** File name in the server root → contents (see {@link renderFiles}). */
  files: Record<string, string>;
  /** Start-log warnings (e.g. a static directory holding Python source). */
  warnings: string[];
}

function fileLayer(file: string, source: 'image' | 'file', label: string): Layer | undefined {
  if (!fs.existsSync(file)) return undefined;
  return parseServerArgs(fs.readFileSync(file, 'utf8'), source, label);
}

/**
 * `.whisk/server-args`, which the application's user may be able to replace: never through a
 * symlink or from a FIFO, and as root only from a regular file root alone can write (as
 * `--include-file`; whisk:onbuild makes `.whisk/` root's), so root reads no file that user
 * chose and prints none of its words.
 *
 * @throws {UsageError} naming the file and what is wrong with it
 */
function appServerArgs(cwd: string, asRoot: boolean): Layer | undefined {
  const file = path.join(cwd, '.whisk', 'server-args');
  const text = readTrusted(file, asRoot);
  if (!refused(text)) return parseServerArgs(text, 'file', '.whisk/server-args');
  if (text.missing) return undefined;
  throw new UsageError(
    `.whisk/server-args (${file}): it is ${text.why}${asRoot ? ', and whisk runs as root' : ''}; allowed: a regular file${asRoot ? " only root can write (whisk:onbuild makes .whisk/ root's; chown a bind-mounted one to root, mode 644)" : ''}`,
  );
}

/**
 * Reads and merges every layer of settings, lowest first: the image's defaults,
 * `.whisk/server-args`, the CMD arguments (`argv`; none when a program runs in the CMD's
 * place), `WHISK_*` / `MOD_WSGI_*`.
 *
 * @param asRoot whisk runs as root (`.whisk/server-args` must then be root's alone)
 * @throws {UsageError} any bad option or value, a start directory no configuration can name,
 *   or a `.whisk/server-args` that is not a regular file (as root: not root's alone)
 */
export function readSettings(argv: string[] | undefined, env: NodeJS.ProcessEnv, cwd: string, asRoot = process.getuid?.() === 0): ParsedOptions {
  checkPrintable(cwd, 'the directory whisk was started in');
  const layers = [
    fileLayer(IMAGE_DEFAULTS, 'image', IMAGE_DEFAULTS),
    appServerArgs(cwd, asRoot),
    argv && parseArgv(argv, 'cmd', 'the command line'),
    envLayer(env),
  ].filter((l): l is Layer => l !== undefined);
  return mergeLayers(layers);
}

/**
 * Reads every layer of settings ({@link readSettings}), resolves the application and
 * renders the configuration.
 *
 * @param argv CMD arguments after the command name
 * @param env the process environment (`WHISK_*`, `MOD_WSGI_*`)
 * @param cwd the app directory (`.whisk/server-args` is read from here; relative paths start here)
 * @param runtime facts about the machine (system/runtime.ts)
 * @throws {UsageError} any bad option, value or path
 */
export function prepare(argv: string[], env: NodeJS.ProcessEnv, cwd: string, runtime: Runtime): Prepared {
  const parsed = readSettings(argv, env, cwd, runtime.uid === 0);
  const app = resolveApplication(parsed.options, parsed.sources, cwd);
  const view = buildView(parsed, app, runtime);
  const warnings = [...app.warnings];
  if (view.wsgi?.handler.reloadOnChanges) {
    warnings.push(
      'warning: --reload-on-changes is a development mode: each code change restarts the daemon processes, and static files are sent uncached; turn it off in production',
    );
  }
  return { parsed, view, files: renderFiles(view), warnings };
}

/**
 * What `whisk start` logs before it hands over (each line behind `whisk: `): the settings
 * that are not defaults, the warnings, and where it serves. The start cache keeps the same
 * lines for a start without Node (system/start-cache.ts).
 */
export function startLog({ view, warnings }: Pick<Prepared, 'view' | 'warnings'>): string[] {
  const what = view.kind === 'static' ? 'static files' : view.kind === 'asgi' ? 'the ASGI application' : 'the application';
  return [...settingsBlock(view.settings).split('\n'), ...warnings, `serving ${what} on ${view.url} (server root ${view.serverRoot})`];
}
