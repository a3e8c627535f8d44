import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../entrypoint/plan/prepare.js';
import { TEMPLATES_DIR } from '../../../entrypoint/plan/render.js';
import { recordInputs } from '../../../entrypoint/system/start-cache.js';
import { tempTree } from '../../helpers/files.js';
import { testRuntime } from '../../helpers/plan.js';

const KEY_SCRIPT = path.resolve('entrypoint/start-key.sh');

/** A start cache's input lists (start-key.sh's CACHE_DIR) naming files of `app`. */
function cacheFor(lists: Partial<Record<'read' | 'stat' | 'lstat' | 'list', string[]>>): string {
  const dir = tempTree('key-cache');
  for (const kind of ['read', 'stat', 'lstat', 'list'] as const) {
    fs.writeFileSync(path.join(dir, kind), (lists[kind] ?? []).map((l) => `${l}\n`).join(''));
  }
  return dir;
}

function key(cache: string, argv: string[], env: NodeJS.ProcessEnv = {}, cwd = cache): string {
  return execFileSync('/bin/sh', [KEY_SCRIPT, cache, ...argv], { cwd, env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' }).trim();
}

describe('start-key.sh', () => {
  it('changes with every input whisk start reads, and with nothing else', () => {
    const app = tempTree('key-app', { 'wsgi.py': 'x', '.whisk/server-args': '--processes 2\n', 'static/a.css': 'a' });
    const cache = cacheFor({
      read: [path.join(app, '.whisk/server-args'), path.join(app, 'absent')],
      stat: [path.join(app, 'wsgi.py')],
      lstat: [path.join(app, 'static')],
      list: [app],
    });
    const env = { WHISK_PORT: '8080', VIRTUAL_ENV: '/opt/venv', HOSTNAME: 'a', HOME: '/app' };
    const base = key(cache, ['wsgi.py'], env, app);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    // The same inputs, the same key; what the plan never reads changes nothing.
    expect(key(cache, ['wsgi.py'], env, app)).toBe(base);
    expect(key(cache, ['wsgi.py'], { ...env, HOSTNAME: 'b', HOME: '/', LANG: 'C', WHISK_EXEC_FD: '3' }, app)).toBe(base);
    fs.writeFileSync(path.join(app, 'wsgi.py'), 'changed contents, same type, mode and owner');
    expect(key(cache, ['wsgi.py'], env, app)).toBe(base);

    const changes: Array<[string, () => string, () => void]> = [
      ['an argument', () => key(cache, ['wsgi.py', '--processes'], env, app), () => {}],
      ['an argument split differently', () => key(cache, ['wsgi.py\n'], env, app), () => {}],
      ['a WHISK_ variable', () => key(cache, ['wsgi.py'], { ...env, WHISK_PROCESSES: '3' }, app), () => {}],
      ['a MOD_WSGI_ variable', () => key(cache, ['wsgi.py'], { ...env, MOD_WSGI_THREADS: '3' }, app), () => {}],
      ['VIRTUAL_ENV', () => key(cache, ['wsgi.py'], { ...env, VIRTUAL_ENV: '/opt/other' }, app), () => {}],
      ['the working directory', () => key(cache, ['wsgi.py'], env, cache), () => {}],
      ['a file read', () => key(cache, ['wsgi.py'], env, app), () => fs.writeFileSync(path.join(app, '.whisk/server-args'), '--processes 3\n')],
      ['a missing file read appearing', () => key(cache, ['wsgi.py'], env, app), () => fs.writeFileSync(path.join(app, 'absent'), '')],
      ['a mode', () => key(cache, ['wsgi.py'], env, app), () => fs.chmodSync(path.join(app, 'wsgi.py'), 0o600)],
      [
        'a directory swapped for a symlink',
        () => key(cache, ['wsgi.py'], env, app),
        () => {
          fs.renameSync(path.join(app, 'static'), path.join(app, 'static.old'));
          fs.symlinkSync('static.old', path.join(app, 'static'));
        },
      ],
      ['an entry in a listed directory', () => key(cache, ['wsgi.py'], env, app), () => fs.writeFileSync(path.join(app, 'manage.py'), '')],
    ];
    const seen = new Set([base]);
    for (const [what, run, change] of changes) {
      change();
      const k = run();
      expect(seen.has(k), what).toBe(false);
      seen.add(k);
    }
  });

  it('keys any arguments and environment values exactly (property)', () => {
    const cache = cacheFor({});
    const text = fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, ''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), fc.array(text, { maxLength: 4 }), text, text, (a, b, x, y) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b) || x !== y);
        expect(key(cache, a, { WHISK_X: x })).not.toBe(key(cache, b, { WHISK_X: y }));
      }),
      { numRuns: 25 },
    );
  });
});

describe('recordInputs', () => {
  it("records what prepare reads: the settings files, the application's paths, the autodetected directory, the templates", () => {
    const app = tempTree('rec', { 'manage.py': '', 'site/wsgi.py': '', 'site/settings.py': '', 'static/a.css': '' });
    const { result, inputs } = recordInputs(app, () => prepare(['--url-alias', '/static', 'static'], {}, app, testRuntime({ uid: 1001 })));
    expect(result.view.kind).toBe('wsgi');
    expect([...inputs.list]).toContain(app);
    expect([...inputs.read, ...inputs.lstat]).toContain(path.join(app, '.whisk/server-args'));
    expect([...inputs.stat]).toContain(path.join(app, 'static'));
    expect([...inputs.read].some((f) => f.startsWith(TEMPLATES_DIR))).toBe(true);
  });

  it('puts node:fs back, also when the plan throws', () => {
    const before = fs.readFileSync;
    expect(() => recordInputs('/', () => prepare(['--processes', 'x', 'wsgi.py'], {}, '/', testRuntime()))).toThrow(/--processes/);
    expect(fs.readFileSync).toBe(before);
  });

  it('reads no environment variable the key leaves out (property)', () => {
    const app = tempTree('env', { 'wsgi.py': '' });
    const plan = (env: NodeJS.ProcessEnv) => JSON.stringify(prepare(['wsgi.py'], env, app, testRuntime()).files);
    const base = plan({});
    const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/).filter((n) => !/^(WHISK_|MOD_WSGI_)/.test(n) && n !== 'VIRTUAL_ENV');
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ maxLength: 40 })), (env) => {
        expect(plan(env)).toBe(base);
      }),
      { numRuns: 50 },
    );
  });
});
