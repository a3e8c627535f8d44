import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownTable } from '../../../entrypoint/options/help.js';
import { helpFor } from '../../../entrypoint/commands/table.js';
import { OPTION_TABLE } from '../../../entrypoint/options/table.js';

describe('help', () => {
  it('lists every option with its environment name and directive', () => {
    const help = helpFor();
    for (const name of Object.keys(OPTION_TABLE)) {
      expect(help).toContain(`--${name}`);
      expect(help).toContain(`WHISK_${name.toUpperCase().replace(/-/g, '_')}`);
    }
    expect(help).toContain('--threads NUMBER');
    expect(help).toContain('Default: 5 threads.');
    expect(help).toContain('--url-alias URL-PATH FILE-PATH|DIRECTORY-PATH');
    expect(help).toContain('--chunked-request | --no-chunked-request');
  });
});

describe('docs/options.md', () => {
  it('carries the option table generated from the one option table (npm run docs)', () => {
    const page = fs.readFileSync(new URL('../../../docs/options.md', import.meta.url), 'utf8');
    expect(page).toContain(markdownTable());
  });
});
