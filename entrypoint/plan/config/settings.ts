/**
 * The start log's list of effective settings that are not defaults, each with the layer it
 * came from (`whisk config` prints the same list).
 */
import { isRepeatable, OPTION_NAMES, specOf, type EntrySources, type OptionName, type Options, type Source, type Sources } from '../../options/table.js';

/** One effective setting that is not a default, for the start log and `whisk config`. */
export interface Setting {
  name: string;
  value: string;
  source: Source;
}

/** Shows an option's value for the start log; the values of a secret option are never shown. */
function show(name: OptionName, value: unknown): string {
  if (specOf(name).secret) return (value as [string, string][]).map(([k]) => `${k}=(hidden)`).join(' ');
  if (Array.isArray(value)) return value.map((e) => (Array.isArray(e) ? e.join(' ') : String(e))).join(' ');
  return String(value);
}

/**
 * Every option not at its default, each with the layer it came from; a repeatable option
 * one line per entry, each entry with its own layer.
 */
export function nonDefaultSettings(options: Options, sources: Sources, entrySources: EntrySources): Setting[] {
  const settings: Setting[] = [];
  for (const n of OPTION_NAMES) {
    if (sources[n] === 'default') continue;
    const value = options[n];
    if (isRepeatable(specOf(n))) {
      (value as unknown[]).forEach((e, i) => {
        settings.push({ name: n, value: show(n, [e]), source: entrySources[n]?.[i] ?? sources[n] });
      });
    } else {
      settings.push({ name: n, value: show(n, value), source: sources[n] });
    }
  }
  return settings;
}

/** The start log's (and `whisk config`'s) list of settings that are not defaults. */
export function settingsBlock(settings: Setting[]): string {
  if (settings.length === 0) return 'all settings are defaults';
  const width = Math.max(...settings.map((s) => s.name.length));
  return ['settings that are not defaults:', ...settings.map((s) => `  ${`--${s.name}`.padEnd(width + 2)}  ${s.value}  [${s.source}]`)].join('\n');
}
