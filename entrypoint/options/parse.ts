/**
 * Parses every layer of settings into raw values, then merges them into typed
 * {@link Options}. Layers, lowest first: built-in default < image defaults
 * (`/etc/whisk/server-args`) < `.whisk/server-args` < CMD arguments < `WHISK_*` /
 * `MOD_WSGI_*` environment.
 *
 * minimist parses `--name value`, `--name=value`, positionals and unknown options; the few
 * forms it cannot express (two-value options, `--no-` for flags only, negative numbers)
 * are taken out first, in {@link parseArgv}.
 */
import minimist from 'minimist';
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../errors.js';
import {
  allowed,
  defaultOf,
  envName,
  isRepeatable,
  OPTION_NAMES,
  OPTION_TABLE,
  specOf,
  type EntrySources,
  type OptionName,
  type Options,
  type Source,
  type Sources,
} from './table.js';
import { checkPrintable } from './printable.js';
import { canonical, checkFormat, convert, parseBoolean } from './values.js';
import { splitWords, WordSyntaxError } from './words.js';

/** Raw settings from one layer, before merging: option name → raw entries. */
export interface Layer {
  source: Exclude<Source, 'default' | 'computed'>;
  /** Human name of where an option's values came from, used in error messages. */
  origin: (name: OptionName) => string;
  /** Each entry is `[value]`, or `[key, value]` for a two-value option. */
  values: Map<OptionName, string[][]>;
}

/** The typed result of merging every layer. */
export interface ParsedOptions {
  options: Options;
  sources: Sources;
  entrySources: EntrySources;
}

/**
 * Environment variables whisk itself sets or reads that are not options (the launcher's
 * file descriptor, test and packaging overrides); every other `WHISK_*` must name an option.
 */
const INTERNAL_ENV = ['WHISK_EXEC_FD', 'WHISK_TEMPLATES', 'WHISK_APACHE_BINARY', 'WHISK_IMAGE_DEFAULTS', 'WHISK_DEBUG', 'WHISK_APP_PATH'];

function isOption(name: string): name is OptionName {
  return Object.hasOwn(OPTION_TABLE, name);
}

/** ` Did you mean X?` for the candidate closest to `unknown`, or `''` when none is close. */
function suggestion(unknown: string, candidates: string[] = OPTION_NAMES.map((n) => `--${n}`)): string {
  const best = closest(unknown, candidates);
  const d = distance(unknown, best);
  return d <= Math.max(2, Math.floor(best.length / 3)) ? ` Did you mean ${best}?` : '';
}

/**
 * Parses one argv-style layer (CMD arguments, or the words of a server-args file).
 *
 * @param argv the words
 * @param source which layer this is
 * @param where human name of the layer for messages, e.g. `the command line`
 * @throws {UsageError} an unknown option (with the closest valid name), a missing value,
 *   `--NAME=VALUE` for a two-value option, `--no-NAME` for an option that is not a flag, a
 *   flag's value that is not a boolean word, more than one entry point
 */
export function parseArgv(argv: string[], source: Layer['source'], where: string): Layer {
  const values = new Map<OptionName, string[][]>();
  const add = (n: OptionName, v: string[]) => values.set(n, [...(values.get(n) ?? []), v]);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const m = /^--([^=]+)(?:=([\s\S]*))?$/.exec(word);
    if (!m) {
      rest.push(word);
      continue;
    }
    const [, name, inline] = m;
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    if (isOption(name)) {
      const s = specOf(name);
      if (s.kind === 'boolean') {
        const b = inline === undefined ? true : parseBoolean(inline);
        if (b === undefined) throw new UsageError(`--${name} in ${where}: ${JSON.stringify(inline)} is not allowed; allowed: ${allowed(s)}`);
        add(name, [String(b)]);
      } else if (s.kind === 'pairs') {
        if (inline !== undefined) {
          throw new UsageError(
            `--${name}=${inline} in ${where}: --${name} takes two values, so it cannot be written with =; allowed: --${name} ${s.metavar} ${s.metavar2}`,
          );
        }
        const [a, b] = [argv[i + 1], argv[i + 2]];
        if (a === undefined || b === undefined || a.startsWith('--') || b.startsWith('--')) {
          throw new UsageError(`--${name} in ${where}: missing value; allowed: ${allowed(s)}`);
        }
        add(name, [a, b]);
        i += 2;
      } else if (inline === undefined && argv[i + 1] !== undefined && /^-(?!-)/.test(argv[i + 1])) {
        // minimist takes `-1` for a short option; a value option's next word is its value.
        rest.push(`--${name}=${argv[++i]}`);
      } else {
        rest.push(word);
      }
    } else if (negated !== undefined && isOption(negated)) {
      const s = specOf(negated);
      if (s.kind !== 'boolean' || inline !== undefined) {
        throw new UsageError(
          `--no-${negated}${inline !== undefined ? `=${inline}` : ''} in ${where}: only a flag has a --no- form, with no value; allowed for --${negated}: ${allowed(s)}`,
        );
      }
      add(negated, ['false']);
    } else {
      rest.push(word);
    }
  }
  const parsed = minimist(rest, {
    string: OPTION_NAMES.filter((n) => {
      const k = specOf(n).kind;
      return k !== 'boolean' && k !== 'pairs';
    }),
    unknown: (arg: string) => {
      if (!arg.startsWith('-') || arg === '-') return true;
      const bare = arg.replace(/^-+/, '').replace(/=[\s\S]*$/, '');
      throw new UsageError(`${arg.replace(/=[\s\S]*$/, '')} in ${where}: unknown option.${suggestion(`--${bare.replace(/^no-/, '')}`)} See whisk --help.`);
    },
  });
  for (const n of OPTION_NAMES) {
    const v = parsed[n];
    if (v === undefined || specOf(n).kind === 'boolean' || specOf(n).kind === 'pairs') continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one === '') throw new UsageError(`--${n} in ${where}: missing value; allowed: ${allowed(specOf(n))}`);
      add(n, [String(one)]);
    }
  }
  const positional = parsed._.map(String);
  const entries = [...(values.get('entry-point') ?? []).map((e) => e[0]), ...positional];
  if (entries.length > 1) {
    throw new UsageError(
      `${where}: more than one entry point given (${entries.map((p) => JSON.stringify(p)).join(', ')}); allowed: one script path, module name or .ini path, as the last argument or with --entry-point`,
    );
  }
  if (entries.length === 1) values.set('entry-point', [[entries[0]]]);
  return { source, origin: (n) => (n === 'entry-point' && positional.length ? `entry point in ${where}` : `--${n} in ${where}`), values };
}

/**
 * Parses a server-args file (`.whisk/server-args`, the image's `/etc/whisk/server-args`):
 * options in the word syntax of words.ts, on one line or many, `#` comments. Nothing is
 * expanded: a value is taken as written.
 *
 * @throws {UsageError} a quote left open, or any error of {@link parseArgv}
 */
export function parseServerArgs(text: string, source: 'image' | 'file', where: string): Layer {
  let words: string[];
  try {
    words = splitWords(text, true);
  } catch (error) {
    if (!(error instanceof WordSyntaxError)) throw error;
    throw new UsageError(`${where}: ${error.message}; allowed: options and values separated by spaces, quoted with '...' or "..."`);
  }
  return parseArgv(words, source, where);
}

/**
 * Reads `WHISK_<NAME>` (and the alias `MOD_WSGI_<NAME>`; WHISK_ wins when both are set) for
 * every option. A repeatable option takes several values in the word syntax of words.ts:
 * `WHISK_URL_ALIAS="/media /data/media /s '/srv/my files'"`, taken literally (no `$`, `#`,
 * `*` or `&` meaning). `WHISK_ENTRY_POINT` sets the entry point.
 *
 * @throws {UsageError} a `WHISK_*` variable that names no option (with the closest name),
 *   a value that cannot be split into words, a two-value option with an odd number of words
 */
export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values = new Map<OptionName, string[][]>();
  const used = new Map<OptionName, string>();
  const known = new Set([...OPTION_NAMES.map((n) => envName(n)), ...INTERNAL_ENV]);
  for (const key of Object.keys(env)) {
    if (key.startsWith('WHISK_') && !known.has(key)) {
      const near = suggestion(
        key,
        OPTION_NAMES.map((n) => envName(n)),
      );
      throw new UsageError(`${key}: no whisk option has this name.${near} See whisk --help.`);
    }
  }
  for (const n of OPTION_NAMES) {
    const key = [envName(n), envName(n, 'MOD_WSGI_')].find((k) => env[k] !== undefined && env[k] !== '');
    if (!key) continue;
    used.set(n, key);
    const raw = env[key] as string;
    const s = specOf(n);
    if (!isRepeatable(s)) {
      values.set(n, [[raw]]);
      continue;
    }
    // Newlines separate words in a file, but in one variable they can only be an attack or
    // a mistake: refused, like every control character.
    checkPrintable(raw, `${key} (--${n})`, s.secret);
    let words: string[];
    try {
      words = splitWords(raw);
    } catch (error) {
      if (!(error instanceof WordSyntaxError)) throw error;
      throw new UsageError(
        `${key} (--${n}): ${s.secret ? 'the value' : JSON.stringify(raw)} cannot be split into words: ${error.message}; allowed: words separated by spaces, quoted with '...' or "..." (docs/production.md: "Values in the environment")`,
      );
    }
    if (s.kind === 'list') {
      values.set(
        n,
        words.map((w) => [w]),
      );
    } else {
      if (words.length % 2 !== 0) {
        throw new UsageError(
          `${key} (--${n}): ${words.length} word${words.length === 1 ? '' : 's'}, an odd number; allowed: pairs of ${s.metavar} ${s.metavar2}, quoted with '...' where a value has spaces`,
        );
      }
      const pairs: string[][] = [];
      for (let i = 0; i < words.length; i += 2) pairs.push([words[i], words[i + 1]]);
      values.set(n, pairs);
    }
  }
  return { source: 'env', origin: (n) => `${used.get(n)} (--${n})`, values };
}

/**
 * Merges layers (lowest precedence first) over the built-in defaults and converts each value
 * to its type. A single-value option takes the value of the highest layer that sets it. A
 * repeatable option accumulates over layers; a later entry with the same key (the URL of
 * `--url-alias`, the name of `--setenv`, the value of a list) replaces the earlier one.
 *
 * @throws {UsageError} a value of the wrong type, out of range, of the wrong format or with
 *   a control character, naming the option (or the environment variable), the value (never
 *   a `--setenv` value) and what is allowed
 */
export function mergeLayers(layers: Layer[]): ParsedOptions {
  const options = {} as Record<string, unknown>;
  const sources = {} as Record<string, Source>;
  const entrySources: EntrySources = {};
  for (const n of OPTION_NAMES) {
    sources[n] = 'default';
    options[n] = defaultOf(n);
  }
  for (const layer of layers) {
    for (const [n, entries] of layer.values) {
      const s = specOf(n);
      if (isRepeatable(s)) {
        const keyed = new Map<string, { entry: string[]; source: Source }>(
          (options[n] as (string | string[])[]).map((e, i) => {
            const entry = Array.isArray(e) ? e : [e];
            return [entry[0], { entry, source: entrySources[n]![i] }];
          }),
        );
        for (const given of entries) {
          let e = given;
          if (s.kind === 'list') {
            e = [canonical(n, checkFormat(given[0], s.format, layer.origin(n)))];
          } else {
            checkFormat(e[0], s.formats[0], layer.origin(n));
            checkFormat(e[1], s.formats[1], `${layer.origin(n)} ${e[0]}`, s.secret);
          }
          keyed.delete(e[0]);
          keyed.set(e[0], { entry: e, source: layer.source });
        }
        const all = [...keyed.values()];
        options[n] = s.kind === 'list' ? all.map((x) => x.entry[0]) : all.map((x) => x.entry);
        entrySources[n] = all.map((x) => x.source);
      } else {
        options[n] = convert(n, entries[entries.length - 1][0], layer.origin(n));
      }
      sources[n] = layer.source;
    }
  }
  for (const n of OPTION_NAMES) if (isRepeatable(specOf(n))) entrySources[n] ??= [];
  return { options: options as Options, sources: sources as Sources, entrySources };
}
