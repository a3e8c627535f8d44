/**
 * `whisk config`: prints every file `whisk start` would write for the same settings, and the
 * command it would run, without writing or starting anything.
 */
import path from 'node:path';
import { prepare } from '../plan/prepare.js';
import { readRuntime } from '../system/runtime.js';
import { settingsBlock } from '../plan/config/settings.js';
import { shellWords } from '../plan/shell.js';

/**
 * @param argv options and the entry point, as for `whisk start`
 * @throws {UsageError} bad input, as `whisk start` would refuse it
 */
export function config(argv: string[]): void {
  const { view, files, warnings } = prepare(argv, process.env, process.cwd(), readRuntime(process.env));
  const out = [
    `# whisk config: ${settingsBlock(view.settings).replace(/\n/g, '\n# ')}`,
    ...warnings.map((w) => `# ${w}`),
    `# command: ${shellWords(view.argv)}`,
    '',
  ];
  for (const [name, text] of Object.entries(files)) out.push(`# ==> ${path.join(view.serverRoot, name)} <==`, text);
  process.stdout.write(out.join('\n'));
}
