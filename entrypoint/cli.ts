/**
 * `whisk start|config|build|healthcheck|reload` dispatch. Reads the environment, the cgroup
 * files and the app's files at the start; writes the server root and hands over to Apache at
 * the end.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { closest } from 'fastest-levenshtein';
import { resolveAccount, type Account } from './accounts.js';
import { resolveApplication } from './app.js';
import { buildApplication, buildDependencies } from './build.js';
import { buildConfig, type Runtime, type ViewModel } from './config.js';
import { reportError, StepError, UsageError } from './errors.js';
import { healthcheck, reload, serverRootArg, writeState } from './healthcheck.js';
import { helpText, markdownTable } from './options/help.js';
import { envLayer, mergeLayers, parseArgv, parseServerArgs, type Layer, type ParsedOptions } from './options/parse.js';
import { checkPrintable, unbracketHost } from './options/values.js';
import { renderFiles } from './render.js';
import { handOver, log, runHook } from './server.js';
import { checkRootOnlyFile, prepareServerRoot, writeProbeDir, writeServerRoot } from './serverroot.js';
import { readLimits } from './sizing.js';

/** Image-wide defaults (port 80, access log on), written by the image's Dockerfile. */
export const IMAGE_DEFAULTS = process.env.WHISK_IMAGE_DEFAULTS ?? '/etc/whisk/server-args';
const COMMANDS = ['start', 'config', 'build', 'healthcheck', 'reload', 'help'];

/** Everything `whisk start` would run, computed without side effects beyond reading files. */
export interface Prepared {
  parsed: ParsedOptions;
  view: ViewModel;
  files: Record<string, string>;
  /** Start-log warnings (e.g. a static directory holding Python source). */
  warnings: string[];
}

function fileLayer(file: string, source: 'image' | 'file', label: string): Layer | undefined {
  if (!fs.existsSync(file)) return undefined;
  return parseServerArgs(fs.readFileSync(file, 'utf8'), source, label);
}

/**
 * Reads every layer of settings, resolves the application and renders the configuration.
 *
 * @param argv CMD arguments after the command name
 * @param env the process environment (`WHISK_*`, `MOD_WSGI_*`, `VIRTUAL_ENV`)
 * @param cwd the app directory (`.whisk/server-args` is read from here)
 * @param uid the uid whisk runs as (0: Apache drops to --user/--group)
 * @throws {UsageError} any bad option, value or path
 */
export function prepare(argv: string[], env: NodeJS.ProcessEnv, cwd: string, uid = process.getuid?.() ?? 0): Prepared {
  checkPrintable(cwd, 'the directory whisk was started in');
  const layers = [
    fileLayer(IMAGE_DEFAULTS, 'image', IMAGE_DEFAULTS),
    fileLayer(path.join(cwd, '.whisk', 'server-args'), 'file', '.whisk/server-args'),
    parseArgv(argv, 'cmd', 'the command line'),
    envLayer(env),
  ].filter((l): l is Layer => l !== undefined);
  const parsed = mergeLayers(layers);
  const app = resolveApplication(parsed.options, parsed.sources, cwd);
  const venv = env.VIRTUAL_ENV;
  const runtime: Runtime = {
    uid,
    apacheBinary: env.WHISK_APACHE_BINARY ?? '/usr/sbin/apache2',
    modulesDir: '/usr/lib/apache2/modules',
    mimeTypes: '/etc/mime.types',
    pythonHome: '/usr',
    virtualEnv: venv && path.isAbsolute(venv) && fs.existsSync(path.join(venv, 'pyvenv.cfg')) ? venv : undefined,
    limits: readLimits(),
    healthToken: randomBytes(16).toString('hex'),
  };
  const view = buildConfig(parsed.options, parsed.sources, parsed.entrySources, app, runtime);
  return { parsed, view, files: renderFiles(view), warnings: app.warnings };
}

/**
 * Binds and closes the address Apache will listen on, so a host that does not resolve or is
 * not this machine's, or a port already taken, fails here with one line instead of inside
 * Apache after the start log (Apache `Listen`).
 *
 * @throws {UsageError} naming --host or --port
 */
async function checkListen(host: string | undefined, port: number): Promise<void> {
  const bare = host && unbracketHost(host);
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen({ port, host: bare, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (!error) return;
  const where = `${bare ?? 'all interfaces'} port ${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      throw new UsageError(`--port: ${port} is already in use on ${bare ?? 'this machine'}; allowed: a free port (another server, or an earlier whisk, holds it)`);
    case 'EADDRNOTAVAIL':
      throw new UsageError(`--host: ${JSON.stringify(host)} is not an address of this machine; allowed: one of its addresses, or leave --host out to listen on all of them`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      throw new UsageError(`--host: ${JSON.stringify(host)} does not resolve to an address; allowed: an IP address or a host name this machine resolves`);
    case 'EACCES':
      return; // checkPort says what to do about a privileged port
    default:
      throw new UsageError(`--host/--port: cannot listen on ${where} (${error.code ?? error.message})`);
  }
}

function checkPort(port: number, uid: number): void {
  if (uid === 0 || port >= 1024) return;
  let start = 1024;
  try {
    start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch { /* keep 1024 */ }
  if (port < start) {
    throw new UsageError(`--port: ${port} needs root here (this kernel lets non-root users bind ports from ${start} up); allowed: a port from ${start} to 65535, e.g. WHISK_PORT=8080 (docker run -e WHISK_PORT=8080 -p 8000:8080), or run as root with --user root`);
  }
}

/**
 * Apache opens /dev/stderr by name for its ErrorLog, which fails when stderr is a socket (as
 * under some process managers); say so instead of Apache's AH00091. (The access log goes
 * through a piped logger that inherits stdout, so stdout may be anything.)
 */
function checkErrorLogStream(): void {
  if (fs.fstatSync(2).isSocket()) {
    throw new StepError('stderr is a socket, which Apache cannot open as /dev/stderr for its error log; run whisk with stderr connected to a pipe, a file or a terminal (as docker run does)');
  }
}

function settingsBlock(view: ViewModel): string {
  if (view.settings.length === 0) return 'all settings are defaults';
  const width = Math.max(...view.settings.map((s) => s.name.length));
  return ['settings that are not defaults:',
    ...view.settings.map((s) => `  ${`--${s.name}`.padEnd(width + 2)}  ${s.value}  [${s.source}]`)].join('\n');
}

async function start(argv: string[]): Promise<void> {
  const cwd = process.cwd();
  const uid = process.getuid?.() ?? 0;
  const asRoot = uid === 0;
  const { parsed, view, files, warnings } = prepare(argv, process.env, cwd, uid);
  checkPort(view.port, uid);
  await checkListen(parsed.options.host, view.port);
  let account: Account | undefined;
  if (asRoot) {
    account = await resolveAccount(parsed.options.user, parsed.options.group);
    view.includeFiles.forEach((f) => checkRootOnlyFile(f, '--include-file'));
    if (view.rewriteRules) checkRootOnlyFile(view.rewriteRules, '--rewrite-rules');
  }
  prepareServerRoot(view.serverRoot, asRoot);
  checkErrorLogStream();
  await runHook(cwd, 'deploy', account);
  const extraDirs = [view.documentRoot, view.mountDirectory].filter((d) => d.startsWith(view.serverRoot + path.sep) || d !== view.documentRoot);
  // The launcher reads the delay from here: only the configuration's path crosses to it.
  writeServerRoot(view.serverRoot, { ...files, 'shutdown-delay': `${view.shutdownDelay}\n` }, asRoot, [...new Set(extraDirs)]);
  writeProbeDir(view.probe, account, view.wsgi === undefined);
  writeState({
    port: view.port, host: parsed.options.host && unbracketHost(parsed.options.host), healthCheckPath: parsed.options['health-check-path'],
    wsgi: view.wsgi !== undefined, serverRoot: view.serverRoot, command: path.basename(view.argv[0]), healthToken: view.healthToken,
  }, asRoot);
  for (const line of settingsBlock(view).split('\n')) log(line);
  for (const w of warnings) log(w);
  log(`serving ${parsed.options['application-type'] === 'static' ? 'static files' : 'the application'} on http://${parsed.options.host ?? '0.0.0.0'}:${view.port}/ (server root ${view.serverRoot})`);
  handOver(view.configFile);
}

function config(argv: string[]): void {
  const { view, files, warnings } = prepare(argv, process.env, process.cwd());
  const out = [`# whisk config: ${settingsBlock(view).replace(/\n/g, '\n# ')}`, ...warnings.map((w) => `# ${w}`),
    `# command: ${view.argv.join(' ')}`, ''];
  for (const [name, text] of Object.entries(files)) out.push(`# ==> ${path.join(view.serverRoot, name)} <==`, text);
  process.stdout.write(out.join('\n'));
}

async function build(argv: string[]): Promise<void> {
  const [stage = 'all', dir] = argv;
  if (!['dependencies', 'application', 'all'].includes(stage)) {
    throw new UsageError(`whisk build: stage ${JSON.stringify(stage)} is unknown; allowed: dependencies, application, all`);
  }
  const venv = process.env.VIRTUAL_ENV ?? '/opt/venv';
  const appDir = path.resolve(dir ?? process.cwd());
  if (stage !== 'application') await buildDependencies(appDir, venv);
  if (stage !== 'dependencies') await buildApplication(appDir, venv);
}

/**
 * Runs one whisk command.
 *
 * @param argv arguments after the program name, e.g. `['start', '--processes', '2', 'wsgi.py']`
 * @returns the process exit status: 0 success, 1 a failed step or health check, 2 bad input
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'help' && rest[0] === '--markdown') {
      process.stdout.write(markdownTable());
      return 0;
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h'
      || rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText());
      return 0;
    }
    switch (command) {
      case 'start': await start(rest); return 0;
      case 'config': config(rest); return 0;
      case 'build': await build(rest); return 0;
      case 'healthcheck': return await healthcheck(serverRootArg(command, rest));
      case 'reload': return reload(serverRootArg(command, rest));
      default: {
        const near = command.startsWith('-') ? 'start' : closest(command, COMMANDS);
        throw new UsageError(`${JSON.stringify(command)} is not a whisk command; allowed: ${COMMANDS.join(', ')}${near ? ` (did you mean whisk ${near}${command.startsWith('-') ? ` ${command}` : ''}?)` : ''}`);
      }
    }
  } catch (error) {
    const status = reportError(error);
    if (status === undefined) throw error;
    return status;
  }
}
