/**
 * The one option table, and parsing of every layer of settings into typed {@link Options}.
 *
 * Names, meanings and defaults are mod_wsgi-express's (`mod_wsgi-express start-server --help`)
 * unless a `help` text says otherwise. Help output, `WHISK_*` variable names, validation and
 * the README's option table are all derived from {@link OPTION_TABLE}.
 *
 * Layers, lowest first: built-in default < image defaults (`/etc/whisk/server-args`)
 * < `.whisk/server-args` < CMD arguments < `WHISK_*` / `MOD_WSGI_*` environment.
 */
import minimist from 'minimist';
import { parse as shellParse } from 'shell-quote';
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from './errors.js';

/** Where an effective setting came from. `computed`: derived by whisk (e.g. sizing). */
export type Source = 'default' | 'image' | 'file' | 'cmd' | 'env' | 'computed';

interface Common {
  /** Help text, one sentence or two, shown by `whisk --help` and in the README. */
  help: string;
  /** The Apache httpd or mod_wsgi directive (and argument) this option maps to. */
  directive: string;
  /** Placeholder shown in help output. */
  metavar?: string;
  /** Unit of an integer value. */
  unit?: 'seconds' | 'bytes' | 'bytes/s' | 'processes' | 'threads' | 'connections' | 'requests';
}
/** A whole number within `[min, max]`; `default` undefined means "computed" or "unset". */
export interface IntegerSpec extends Common { kind: 'integer'; min: number; max: number; default?: number }
/** A free-form string; `default` undefined means unset. */
export interface StringSpec extends Common { kind: 'string'; default?: string }
/** One of `choices`. */
export interface ChoiceSpec extends Common { kind: 'choice'; choices: readonly string[]; default: string }
/** A flag; `--no-NAME` turns it off. */
export interface BooleanSpec extends Common { kind: 'boolean'; default: boolean }
/** Repeatable, one value each time (e.g. `--python-path`). */
export interface ListSpec extends Common { kind: 'list' }
/** Repeatable, two values each time (e.g. `--url-alias URL PATH`); the first is the key. */
export interface PairsSpec extends Common { kind: 'pairs'; metavar2: string }
export type OptionSpec = IntegerSpec | StringSpec | ChoiceSpec | BooleanSpec | ListSpec | PairsSpec;

const MAX_SECONDS = 86400;
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug',
  'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8'] as const;

/**
 * Every option whisk accepts. Keys are the option names without `--`.
 * Environment names are derived: `url-alias` → `WHISK_URL_ALIAS` (alias `MOD_WSGI_URL_ALIAS`).
 */
export const OPTION_TABLE = {
  'application-type': {
    kind: 'choice', choices: ['script', 'module', 'paste', 'static'], default: 'script', metavar: 'TYPE',
    help: "How the entry point is loaded: 'script' (a WSGI script file), 'module' (an importable Python module, 'pkg.mod' or 'pkg.mod:callable'), 'paste' (a Paste Deploy .ini file), 'static' (no Python; the document root only).",
    directive: 'WSGIHandlerScript (generated handler.wsgi)',
  },
  'callable-object': {
    kind: 'string', default: 'application', metavar: 'NAME',
    help: 'Name of the WSGI application object in the script file or module.',
    directive: 'WSGICallableObject',
  },
  'working-directory': {
    kind: 'string', metavar: 'DIRECTORY-PATH',
    help: 'Current working directory of the daemon processes, prepended to sys.path. Defaults to the directory whisk is started from (/app in the image).',
    directive: 'WSGIDaemonProcess home=',
  },
  'python-path': {
    kind: 'list', metavar: 'DIRECTORY-PATH',
    help: 'Extra directory to prepend to sys.path (repeatable; .pth files in it are processed).',
    directive: 'WSGIDaemonProcess python-path=',
  },
  'url-alias': {
    kind: 'pairs', metavar: 'URL-PATH', metavar2: 'FILE-PATH|DIRECTORY-PATH',
    help: 'Serve a file or directory at a URL prefix, straight from Apache (repeatable; the longest URL prefix wins).',
    directive: 'Alias',
  },
  'document-root': {
    kind: 'string', metavar: 'DIRECTORY-PATH',
    help: 'Directory whose existing files Apache serves; every other URL goes to the application.',
    directive: 'DocumentRoot',
  },
  'directory-index': {
    kind: 'string', metavar: 'FILE-NAME',
    help: 'File served for a directory URL of the document root (e.g. index.html).',
    directive: 'DirectoryIndex',
  },
  'mount-point': {
    kind: 'string', default: '/', metavar: 'URL-PATH',
    help: 'URL prefix the application is mounted at (its SCRIPT_NAME).',
    directive: 'WSGIHandlerScript mount point',
  },
  'host': {
    kind: 'string', metavar: 'IP-ADDRESS',
    help: 'Address to listen on. Defaults to all interfaces.',
    directive: 'Listen',
  },
  'port': {
    kind: 'integer', min: 1, max: 65535, default: 8000, metavar: 'NUMBER',
    help: 'Port to listen on (80 in the image).',
    directive: 'Listen',
  },
  'processes': {
    kind: 'integer', min: 1, max: 512, unit: 'processes', metavar: 'NUMBER',
    help: 'Number of mod_wsgi daemon processes. Computed from the container CPU and memory limits when not given.',
    directive: 'WSGIDaemonProcess processes=',
  },
  'threads': {
    kind: 'integer', min: 1, max: 1024, default: 5, unit: 'threads', metavar: 'NUMBER',
    help: 'Request threads in each daemon process.',
    directive: 'WSGIDaemonProcess threads=',
  },
  'max-clients': {
    kind: 'integer', min: 1, max: 20000, unit: 'connections', metavar: 'NUMBER',
    help: 'Most requests Apache handles at once. Defaults to 10 + max(10, 1.5 x processes x threads) as mod_wsgi-express computes it, but at least 100.',
    directive: 'MaxRequestWorkers',
  },
  'user': {
    kind: 'string', default: 'whisk', metavar: 'USERNAME',
    help: 'User the Apache children and daemon processes run as when whisk is started as root.',
    directive: 'User / WSGIDaemonProcess user=',
  },
  'group': {
    kind: 'string', default: 'root', metavar: 'GROUP',
    help: 'Group the Apache children and daemon processes run as when whisk is started as root (gid 0, as OpenShift expects).',
    directive: 'Group / WSGIDaemonProcess group=',
  },
  'log-level': {
    kind: 'choice', choices: LOG_LEVELS, default: 'warn', metavar: 'NAME',
    help: 'Apache error log level (the error log goes to stderr).',
    directive: 'LogLevel',
  },
  'access-log': {
    kind: 'boolean', default: false,
    help: 'Write the access log (combined format) to stdout (on in the image).',
    directive: 'CustomLog',
  },
  'setenv': {
    kind: 'pairs', metavar: 'NAME', metavar2: 'VALUE',
    help: 'Set a variable in the per-request WSGI environ (repeatable).',
    directive: 'SetEnv',
  },
  'passenv': {
    kind: 'list', metavar: 'NAME',
    help: 'Copy a process environment variable into the per-request WSGI environ (repeatable; mod_wsgi never passes PATH this way).',
    directive: 'PassEnv',
  },
  'server-root': {
    kind: 'string', metavar: 'DIRECTORY-PATH',
    help: 'Directory for the generated configuration, pid file and sockets. Defaults to /tmp/whisk-PORT-UID.',
    directive: 'ServerRoot',
  },
  'health-check-path': {
    kind: 'string', metavar: 'URL-PATH',
    help: "URL `whisk healthcheck` requests from the application; it must answer 2xx or 3xx. Without it, the check asks the daemon's built-in probe.",
    directive: 'HEALTHCHECK',
  },
  'request-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 60, unit: 'seconds', metavar: 'SECONDS',
    help: 'A request still running after this is cut and its daemon process restarted (averaged over the threads of a process). 0: off.',
    directive: 'WSGIDaemonProcess request-timeout=',
  },
  'queue-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 45, unit: 'seconds', metavar: 'SECONDS',
    help: 'A request waiting this long for a free daemon thread is answered 504 instead.',
    directive: 'WSGIDaemonProcess queue-timeout=',
  },
  'socket-timeout': {
    kind: 'integer', min: 1, max: MAX_SECONDS, default: 60, unit: 'seconds', metavar: 'SECONDS',
    help: 'Timeout on a single read or write on a client or daemon socket.',
    directive: 'Timeout / WSGIDaemonProcess socket-timeout=',
  },
  'connect-timeout': {
    kind: 'integer', min: 1, max: MAX_SECONDS, default: 15, unit: 'seconds', metavar: 'SECONDS',
    help: 'How long Apache tries to connect to a daemon process before giving up (503).',
    directive: 'WSGIDaemonProcess connect-timeout=',
  },
  'startup-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 15, unit: 'seconds', metavar: 'SECONDS',
    help: 'A daemon process that fails to load the application for this long is restarted. 0: off.',
    directive: 'WSGIDaemonProcess startup-timeout=',
  },
  'inactivity-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 0, unit: 'seconds', metavar: 'SECONDS',
    help: 'Restart a daemon process idle for this long. 0: off.',
    directive: 'WSGIDaemonProcess inactivity-timeout=',
  },
  'restart-interval': {
    kind: 'integer', min: 0, max: MAX_SECONDS * 7, default: 0, unit: 'seconds', metavar: 'SECONDS',
    help: 'Restart each daemon process after this long. 0: off.',
    directive: 'WSGIDaemonProcess restart-interval=',
  },
  'maximum-requests': {
    kind: 'integer', min: 0, max: 100_000_000, default: 0, unit: 'requests', metavar: 'NUMBER',
    help: 'Restart a daemon process after it has served this many requests. 0: off.',
    directive: 'WSGIDaemonProcess maximum-requests=',
  },
  'shutdown-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 5, unit: 'seconds', metavar: 'SECONDS',
    help: 'How long a daemon process may take to exit once told to; then it is killed.',
    directive: 'WSGIDaemonProcess shutdown-timeout=',
  },
  'graceful-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 15, unit: 'seconds', metavar: 'SECONDS',
    help: 'Grace period for requests in flight on a graceful restart or stop.',
    directive: 'WSGIDaemonProcess graceful-timeout= / GracefulShutdownTimeout',
  },
  'deadlock-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 60, unit: 'seconds', metavar: 'SECONDS',
    help: 'Restart a daemon process whose Python GIL has been held this long.',
    directive: 'WSGIDaemonProcess deadlock-timeout=',
  },
  'header-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 15, unit: 'seconds', metavar: 'SECONDS',
    help: 'Time allowed to receive the request line and headers (slow-loris defence). 0: off.',
    directive: 'RequestReadTimeout header=',
  },
  'header-max-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 30, unit: 'seconds', metavar: 'SECONDS',
    help: 'Hard limit for the headers when --header-min-rate extends --header-timeout. 0: none.',
    directive: 'RequestReadTimeout header=T-MAX',
  },
  'header-min-rate': {
    kind: 'integer', min: 0, max: 1_000_000_000, default: 500, unit: 'bytes/s', metavar: 'BYTES',
    help: 'Each time this many header bytes arrive, the header timeout grows by 1 s. 0: off.',
    directive: 'RequestReadTimeout header=…,MinRate=',
  },
  'body-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 15, unit: 'seconds', metavar: 'SECONDS',
    help: 'Time allowed to receive the request body. 0: off.',
    directive: 'RequestReadTimeout body=',
  },
  'body-max-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 0, unit: 'seconds', metavar: 'SECONDS',
    help: 'Hard limit for the body when --body-min-rate extends --body-timeout. 0: none.',
    directive: 'RequestReadTimeout body=T-MAX',
  },
  'body-min-rate': {
    kind: 'integer', min: 0, max: 1_000_000_000, default: 500, unit: 'bytes/s', metavar: 'BYTES',
    help: 'Each time this many body bytes arrive, the body timeout grows by 1 s. 0: off.',
    directive: 'RequestReadTimeout body=…,MinRate=',
  },
  'keep-alive-timeout': {
    kind: 'integer', min: 0, max: MAX_SECONDS, default: 2, unit: 'seconds', metavar: 'SECONDS',
    help: 'How long an idle keep-alive connection is held open. 0: keep-alive off.',
    directive: 'KeepAlive / KeepAliveTimeout',
  },
  'limit-request-body': {
    kind: 'integer', min: 0, max: 2147483647, default: 10485760, unit: 'bytes', metavar: 'BYTES',
    help: 'Largest request body accepted; a larger one is answered 413. 0: unlimited.',
    directive: 'LimitRequestBody',
  },
  'server-backlog': {
    kind: 'integer', min: 1, max: 65535, default: 500, unit: 'connections', metavar: 'NUMBER',
    help: 'Listen queue depth of the Apache server socket.',
    directive: 'ListenBacklog',
  },
  'daemon-backlog': {
    kind: 'integer', min: 1, max: 65535, default: 100, unit: 'connections', metavar: 'NUMBER',
    help: 'Listen queue depth of the daemon process sockets.',
    directive: 'WSGIDaemonProcess listen-backlog=',
  },
} as const satisfies Record<string, OptionSpec>;

/** An option name, e.g. `'url-alias'`. */
export type OptionName = keyof typeof OPTION_TABLE;

type ValueOf<S> =
  S extends { kind: 'integer'; default: number } ? number :
  S extends { kind: 'integer' } ? number | undefined :
  S extends { kind: 'string'; default: string } ? string :
  S extends { kind: 'string' } ? string | undefined :
  S extends { kind: 'choice'; choices: readonly (infer C)[] } ? C :
  S extends { kind: 'boolean' } ? boolean :
  S extends { kind: 'list' } ? string[] :
  S extends { kind: 'pairs' } ? [string, string][] :
  never;

/** Effective values of every option, keyed by option name, plus the positional entry point. */
export type Options = { -readonly [K in OptionName]: ValueOf<(typeof OPTION_TABLE)[K]> } & {
  /** The positional argument: script path, module name or .ini path; undefined if none. */
  'entry-point': string | undefined;
};

/** Where each option's effective value came from. */
export type Sources = Record<OptionName | 'entry-point', Source>;

/** The typed result of merging every layer. */
export interface ParsedOptions {
  options: Options;
  sources: Sources;
}

/** Raw settings from one layer, before merging: option name → raw string values. */
export interface Layer {
  source: Exclude<Source, 'default' | 'computed'>;
  /** Human name of where the values came from, used in error messages. */
  origin: (name: OptionName) => string;
  values: Map<OptionName, string[][]>;
  entryPoint?: string;
}

const NAMES = Object.keys(OPTION_TABLE) as OptionName[];

/** `url-alias` → `WHISK_URL_ALIAS`. */
export function envName(name: OptionName | 'entry-point', prefix = 'WHISK_'): string {
  return prefix + name.toUpperCase().replace(/-/g, '_');
}

/** What a value of this option may be, for error messages and help. */
export function allowed(s: OptionSpec): string {
  switch (s.kind) {
    case 'integer': return `a whole number from ${s.min} to ${s.max}${s.unit ? ` (${s.unit})` : ''}`;
    case 'choice': return `one of ${s.choices.join(', ')}`;
    case 'boolean': return 'no value (--NAME or --no-NAME); in the environment 1/0, true/false, on/off, yes/no';
    case 'pairs': return `two values, ${s.metavar} ${s.metavar2}`;
    default: return `a ${s.metavar ?? 'value'}`;
  }
}

function suggestion(unknown: string): string {
  const best = closest(unknown, NAMES);
  const d = distance(unknown, best);
  return d <= Math.max(2, Math.floor(best.length / 3)) ? ` Did you mean --${best}?` : '';
}


/**
 * Parses one argv-style layer (CMD arguments, or the words of a server-args file).
 *
 * `--url-alias URL PATH` and `--setenv NAME VALUE` take two words, which minimist cannot
 * express, so pair options are taken out first and the rest is handed to minimist.
 *
 * @throws {UsageError} unknown option (with the closest valid name), missing value,
 *   more than one positional argument.
 */
export function parseArgv(argv: string[], source: Layer['source'], where: string): Layer {
  const values = new Map<OptionName, string[][]>();
  const add = (n: OptionName, v: string[]) => values.set(n, [...(values.get(n) ?? []), v]);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const m = /^--([a-z0-9-]+)$/.exec(word);
    const name = m?.[1] as OptionName | undefined;
    const negated = /^--no-([a-z0-9-]+)$/.exec(word)?.[1] as OptionName | undefined;
    if (name && name in OPTION_TABLE && OPTION_TABLE[name].kind === 'boolean') {
      add(name, ['true']);
    } else if (negated && negated in OPTION_TABLE && OPTION_TABLE[negated].kind === 'boolean') {
      add(negated, ['false']);
    } else if (name && name in OPTION_TABLE && OPTION_TABLE[name].kind === 'pairs') {
      const [a, b] = [argv[i + 1], argv[i + 2]];
      const s = OPTION_TABLE[name] as PairsSpec;
      if (a === undefined || b === undefined || a.startsWith('--') || b.startsWith('--')) {
        throw new UsageError(`--${name} in ${where}: missing value; allowed: ${allowed(s)}`);
      }
      add(name, [a, b]);
      i += 2;
    } else {
      rest.push(word);
    }
  }
  const parsed = minimist(rest, {
    string: NAMES.filter((n) => OPTION_TABLE[n].kind !== 'boolean'),
    unknown: (arg: string) => {
      if (!arg.startsWith('-')) return true;
      const bare = arg.replace(/^-+/, '').replace(/=.*$/, '');
      throw new UsageError(`${arg.replace(/=.*$/, '')} in ${where}: unknown option.${suggestion(bare.replace(/^no-/, ''))} See whisk --help.`);
    },
  });
  for (const n of NAMES) {
    const v = parsed[n];
    if (v === undefined || OPTION_TABLE[n].kind === 'boolean') continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one === '') throw new UsageError(`--${n} in ${where}: missing value; allowed: ${allowed(OPTION_TABLE[n])}`);
      add(n, [String(one)]);
    }
  }
  const positional = parsed._.map(String);
  if (positional.length > 1) {
    throw new UsageError(`${where}: more than one entry point given (${positional.map((p) => JSON.stringify(p)).join(', ')}); allowed: one script path, module name or .ini path`);
  }
  return { source, origin: (n) => `--${n} in ${where}`, values, entryPoint: positional[0] };
}

/**
 * Splits the contents of a `.whisk/server-args` file into words: one option per line or
 * shell-quoted on one line, `#` comments, `$VAR` / `${VAR}` expanded from `env`
 * (an unset variable expands to the empty string, as in sh).
 */
export function splitServerArgs(text: string, env: NodeJS.ProcessEnv): string[] {
  // shell-quote's comment swallows the rest of its input, so parse line by line.
  return text.split('\n').flatMap((line) => shellParse(line, (key: string) => env[key] ?? '')).flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    if ('comment' in entry) return [];
    if ('op' in entry && entry.op === 'glob') return [entry.pattern];
    throw new UsageError(`.whisk/server-args: shell operator ${JSON.stringify((entry as { op: string }).op)} is not allowed; write options and values only`);
  });
}

/**
 * Reads `WHISK_<NAME>` (and the alias `MOD_WSGI_<NAME>`; WHISK_ wins when both are set) for
 * every option. Repeatable options take several values split like shell words:
 * `WHISK_URL_ALIAS="/media /data/media /s /srv/s"`, `WHISK_PYTHON_PATH="/a /b"`.
 * `WHISK_ENTRY_POINT` sets the entry point.
 *
 * @throws {UsageError} a pair option with an odd number of words.
 */
export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values = new Map<OptionName, string[][]>();
  const used = new Map<OptionName, string>();
  for (const n of NAMES) {
    const key = [envName(n), envName(n, 'MOD_WSGI_')].find((k) => env[k] !== undefined && env[k] !== '');
    if (!key) continue;
    used.set(n, key);
    const raw = env[key] as string;
    const s = OPTION_TABLE[n];
    if (s.kind === 'list' || s.kind === 'pairs') {
      const words = shellParse(raw).filter((w): w is string => typeof w === 'string');
      if (s.kind === 'list') values.set(n, words.map((w) => [w]));
      else {
        if (words.length % 2 !== 0) {
          throw new UsageError(`${key} (--${n}): ${JSON.stringify(raw)} has an odd number of words; allowed: pairs of ${s.metavar} ${s.metavar2}`);
        }
        const pairs: string[][] = [];
        for (let i = 0; i < words.length; i += 2) pairs.push([words[i], words[i + 1]]);
        values.set(n, pairs);
      }
    } else {
      values.set(n, [[raw]]);
    }
  }
  const entryKey = ['WHISK_ENTRY_POINT', 'MOD_WSGI_ENTRY_POINT'].find((k) => env[k]);
  return {
    source: 'env',
    origin: (n) => `${used.get(n)} (--${n})`,
    values,
    entryPoint: entryKey ? env[entryKey] : undefined,
  };
}

function convert(name: OptionName, raw: string, origin: string): number | string | boolean {
  const s = OPTION_TABLE[name] as OptionSpec;
  const fail = (): never => {
    throw new UsageError(`${origin}: ${JSON.stringify(raw)} is not allowed; allowed: ${allowed(s)}`);
  };
  switch (s.kind) {
    case 'integer': {
      if (!/^\s*\d+\s*$/.test(raw)) fail();
      const v = Number(raw);
      if (v < s.min || v > s.max) fail();
      return v;
    }
    case 'choice':
      if (!s.choices.includes(raw)) fail();
      return raw;
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'on', 'yes'].includes(v)) return true;
      if (['0', 'false', 'off', 'no'].includes(v)) return false;
      return fail();
    }
    default:
      return raw;
  }
}

/**
 * Merges layers (lowest precedence first) over the built-in defaults and converts each value
 * to its type. A scalar takes the value of the highest layer that sets it. A repeatable option
 * accumulates over layers; a later entry with the same key (the URL of `--url-alias`, the name
 * of `--setenv`, the value of a list) replaces the earlier one.
 *
 * @throws {UsageError} a value of the wrong type or out of range, naming the option (or the
 *   environment variable), the value and what is allowed.
 */
export function mergeLayers(layers: Layer[]): ParsedOptions {
  const options = {} as Record<string, unknown>;
  const sources = {} as Record<string, Source>;
  for (const n of NAMES) {
    sources[n] = 'default';
    options[n] = defaultOf(n);
  }
  options['entry-point'] = undefined;
  sources['entry-point'] = 'default';
  for (const layer of layers) {
    for (const [n, entries] of layer.values) {
      const s = OPTION_TABLE[n] as OptionSpec;
      if (s.kind === 'list' || s.kind === 'pairs') {
        const keyed = new Map<string, string[]>(
          (options[n] as string[][] | string[]).map((e) => (Array.isArray(e) ? [e[0], e] : [e, [e]])),
        );
        for (const e of entries) {
          if (e.some((w) => w === '')) throw new UsageError(`${layer.origin(n)}: empty value; allowed: ${allowed(s)}`);
          keyed.delete(e[0]);
          keyed.set(e[0], e);
        }
        options[n] = s.kind === 'list' ? [...keyed.keys()] : [...keyed.values()];
      } else {
        options[n] = convert(n, entries[entries.length - 1][0], layer.origin(n));
      }
      sources[n] = layer.source;
    }
    if (layer.entryPoint !== undefined) {
      options['entry-point'] = layer.entryPoint;
      sources['entry-point'] = layer.source;
    }
  }
  return { options: options as Options, sources: sources as Sources };
}

/** The built-in default of an option (undefined for computed or unset ones). */
export function defaultOf(name: OptionName): unknown {
  const s = OPTION_TABLE[name] as OptionSpec;
  if (s.kind === 'list' || s.kind === 'pairs') return [];
  return 'default' in s ? s.default : undefined;
}

/** All option names, in table order. */
export function optionNames(): OptionName[] {
  return [...NAMES];
}

/**
 * The help text for `whisk --help`: every option with its metavar, default, unit and the
 * directive it maps to, generated from {@link OPTION_TABLE}.
 */
export function helpText(): string {
  const lines = [
    'Usage: whisk start [options] [entry-point]',
    '       whisk config [options] [entry-point]   print the generated files instead of starting',
    '       whisk build                            run the ONBUILD steps (used by whisk:onbuild)',
    '       whisk healthcheck                      exit 0 if the server and the application answer',
    '       whisk reload                           graceful restart: reload the application, keep connections',
    '',
    'Every option can also be set as WHISK_<NAME> (or MOD_WSGI_<NAME>) in the environment,',
    'which wins over the command line; e.g. WHISK_PROCESSES=4 is --processes 4.',
    '',
    'Options:',
  ];
  for (const n of NAMES) {
    const s = OPTION_TABLE[n] as OptionSpec;
    let head = `  --${n}`;
    if (s.kind === 'pairs') head += ` ${s.metavar} ${s.metavar2}`;
    else if (s.kind !== 'boolean') head += ` ${s.metavar ?? 'VALUE'}`;
    if (s.kind === 'boolean') head += ` | --no-${n}`;
    const def = describeDefault(s);
    lines.push(head);
    lines.push(`      ${s.help}${def}${s.kind === 'list' || s.kind === 'pairs' ? ' Repeatable.' : ''}`);
    lines.push(`      [${envName(n)}; Apache: ${s.directive}]`);
  }
  return lines.join('\n') + '\n';
}

function describeDefault(s: OptionSpec): string {
  if (!('default' in s) || s.default === undefined) return '';
  if (s.kind === 'boolean') return ` Default: ${s.default ? 'on' : 'off'}.`;
  return ` Default: ${s.default}${s.kind === 'integer' && s.unit ? ` ${s.unit}` : ''}.`;
}

/**
 * The README's option table (Markdown), generated from {@link OPTION_TABLE}:
 * option, environment variable, default, meaning, Apache/mod_wsgi directive.
 */
export function markdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = ['| option | environment | default | meaning | maps to |', '| --- | --- | --- | --- | --- |'];
  for (const n of NAMES) {
    const s = OPTION_TABLE[n] as OptionSpec;
    const arg = s.kind === 'pairs' ? ` ${s.metavar} ${s.metavar2}` : s.kind === 'boolean' ? '' : ` ${s.metavar ?? 'VALUE'}`;
    const name = s.kind === 'boolean' ? `\`--${n}\`, \`--no-${n}\`` : `\`--${n}${arg}\``;
    const def = 'default' in s && s.default !== undefined
      ? (s.kind === 'boolean' ? (s.default ? 'on' : 'off') : `${s.default}${s.kind === 'integer' && s.unit ? ` ${s.unit}` : ''}`)
      : (s.kind === 'list' || s.kind === 'pairs' ? '(none; repeatable)' : '—');
    rows.push(`| ${cell(name)} | \`${envName(n)}\` | ${cell(def)} | ${cell(s.help)} | ${cell(s.directive)} |`);
  }
  return rows.join('\n') + '\n';
}
