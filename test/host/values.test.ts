/**
 * Values reach the application exactly: random printable strings (a property test) and
 * real-world secrets and URLs go through WHISK_SETENV's word syntax, the generated
 * httpd.conf and a real Apache + mod_wsgi into the WSGI environ.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { quoteWord } from '../../entrypoint/options/words.js';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { printable } from '../helpers/options.js';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

/** Answers a JSON object of every environ variable whose name starts with V_, as UTF-8 (PEP 3333: environ strings are latin-1 decoded bytes). */
const ENVIRON_APP = fixture('environ-json.py');

const REAL_WORLD = [
  'django-insecure-$w2#x&y*z^(k)+=@!%~`[]{}|;:,.<>?/\\\'"',
  'postgres://app:p%40ss$word@db.internal:5432/app?sslmode=require&target_session_attrs=read-write',
  'mysql://user:pa#ss@host/db',
  '${PATH}',
  '$HOME',
  '$(id)',
  '`id`',
  '\\${PATH}',
  '$${PATH}',
  '${',
  '}',
  '$',
  '#comment',
  ' leading and trailing ',
  'tab\there',
  '"',
  "'",
  '\\',
  '\\\\"',
  'Include /etc/passwd',
  'é ü 日本語 🙂',
];

async function roundTrip(values: string[]): Promise<Record<string, string>> {
  const app = tempApp('values', ENVIRON_APP);
  const names = values.map((_, i) => `V_${i}`);
  const s = await start(app, ['wsgi.py'], '/.whisk/health', false, {
    WHISK_SETENV: values.map((v, i) => `${names[i]} ${quoteWord(v)}`).join(' '),
  });
  const got = JSON.parse((await request(s.port, '/')).body) as Record<string, string>;
  expect(s.output()).not.toContain(values.find((v) => v.length > 6 && /[a-z]{4}/.test(v)) ?? '\u0000never');
  return got;
}

describe('WHISK_SETENV values through Apache into the WSGI environ', () => {
  it('reaches the app unchanged for real-world secrets and URLs, and none is logged', async () => {
    const got = await roundTrip(REAL_WORLD);
    REAL_WORLD.forEach((v, i) => {
      expect(got[`V_${i}`], JSON.stringify(v)).toBe(v);
    });
  });

  it('reaches the app unchanged for 300 random printable strings', async () => {
    const values = fc.sample(printable, { numRuns: 300, seed: 7 });
    const got = await roundTrip(values);
    values.forEach((v, i) => {
      expect(got[`V_${i}`], JSON.stringify(v)).toBe(v);
    });
  });
});
