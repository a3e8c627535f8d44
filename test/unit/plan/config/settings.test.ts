import { describe, expect, it } from 'vitest';
import { nonDefaultSettings, settingsBlock } from '../../../../entrypoint/plan/config/settings.js';
import { cmd } from '../../../helpers/options.js';

describe('the settings log', () => {
  it('lists what is not a default, one line per entry of a repeatable option, secrets hidden', () => {
    const { options, sources, entrySources } = cmd(['--threads', '3', '--url-alias', '/a', 'x', '--url-alias', '/b', 'y', '--setenv', 'KEY', 's3cret']);
    const settings = nonDefaultSettings(options, sources, entrySources);
    expect(settings).toEqual([
      { name: 'url-alias', value: '/a x', source: 'cmd' },
      { name: 'url-alias', value: '/b y', source: 'cmd' },
      { name: 'threads', value: '3', source: 'cmd' },
      { name: 'setenv', value: 'KEY=(hidden)', source: 'cmd' },
    ]);
    expect(settingsBlock(settings)).toBe(
      [
        'settings that are not defaults:',
        '  --url-alias  /a x  [cmd]',
        '  --url-alias  /b y  [cmd]',
        '  --threads    3  [cmd]',
        '  --setenv     KEY=(hidden)  [cmd]',
      ].join('\n'),
    );
  });

  it('says so when everything is a default', () => {
    expect(settingsBlock([])).toBe('all settings are defaults');
  });
});
