/**
 * Help output and docs/options.md's table, both generated from the one option table.
 */
import { envName, isRepeatable, OPTION_NAMES, specOf, type OptionSpec } from './table.js';

/** `--url-alias URL-PATH FILE-PATH|DIRECTORY-PATH`, `--threads NUMBER`, `--access-log`. */
function usage(name: string, s: OptionSpec): string {
  if (s.kind === 'pairs') return `--${name} ${s.metavar} ${s.metavar2}`;
  if (s.kind === 'boolean') return `--${name}`;
  return `--${name} ${s.metavar ?? 'VALUE'}`;
}

/** The default as shown to users: `5 threads`, `on`, or undefined when there is none. */
function shownDefault(s: OptionSpec): string | undefined {
  if (!('default' in s) || s.default === undefined) return undefined;
  if (s.kind === 'boolean') return s.default ? 'on' : 'off';
  return `${s.default}${s.kind === 'integer' && s.unit ? ` ${s.unit}` : ''}`;
}

/**
 * The help text for `whisk --help`: the commands' usage lines, then every option with its
 * metavar, default, unit, environment name and the directive it maps to.
 *
 * @param commands one usage line a command (from the command table, commands/table.ts)
 */
export function helpText(commands: string[]): string {
  const lines = [
    ...commands.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${u}`),
    '',
    'Every option can also be set as WHISK_<NAME> (or MOD_WSGI_<NAME>) in the environment,',
    'which wins over the command line; e.g. WHISK_PROCESSES=4 is --processes 4. Repeatable',
    'options take several words there, quoted with \'...\' or "..." and never expanded.',
    '',
    'Options:',
  ];
  for (const n of OPTION_NAMES) {
    const s = specOf(n);
    const def = shownDefault(s);
    lines.push(`  ${usage(n, s)}${s.kind === 'boolean' ? ` | --no-${n}` : ''}`);
    lines.push(`      ${s.help}${def ? ` Default: ${def}.` : ''}${isRepeatable(s) ? ' Repeatable.' : ''}`);
    lines.push(`      [${envName(n)}; Apache: ${s.directive}]`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The docs/options.md's table (Markdown): option, environment variable, default, meaning,
 * Apache/mod_wsgi directive.
 */
export function markdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = ['| option | environment | default | meaning | maps to |', '| --- | --- | --- | --- | --- |'];
  for (const n of OPTION_NAMES) {
    const s = specOf(n);
    const name = s.kind === 'boolean' ? `\`--${n}\`, \`--no-${n}\`` : `\`${usage(n, s)}\``;
    const def = shownDefault(s) ?? (isRepeatable(s) ? '(none; repeatable)' : '—');
    rows.push(`| ${cell(name)} | \`${envName(n)}\` | ${cell(def)} | ${cell(s.help)} | ${cell(s.directive)} |`);
  }
  return `${rows.join('\n')}\n`;
}
