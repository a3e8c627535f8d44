import { describe, expect, it } from 'vitest';
import { UsageError } from '../../entrypoint/errors.js';
import { envLayer, helpText, mergeLayers, OPTION_TABLE, parseArgv, splitServerArgs } from '../../entrypoint/options.js';

const cmd = (argv: string[]) => mergeLayers([parseArgv(argv, 'cmd', 'the command line')]);
const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parsing the command line', () => {
  it('gives mod_wsgi-express defaults when nothing is set', () => {
    const { options, sources } = cmd([]);
    expect(options.threads).toBe(5);
    expect(options.port).toBe(8000);
    expect(options['application-type']).toBe('script');
    expect(options['callable-object']).toBe('application');
    expect(options['request-timeout']).toBe(60);
    expect(options['queue-timeout']).toBe(45);
    expect(options['limit-request-body']).toBe(10485760);
    expect(options['log-level']).toBe('warn');
    expect(options.processes).toBeUndefined();
    expect(sources.threads).toBe('default');
  });

  it('reads the seed CMD line', () => {
    const { options } = cmd(['--working-directory', 'example', '--url-alias', '/static', 'example/htdocs',
      '--application-type', 'module', 'example.wsgi']);
    expect(options['working-directory']).toBe('example');
    expect(options['url-alias']).toEqual([['/static', 'example/htdocs']]);
    expect(options['application-type']).toBe('module');
    expect(options['entry-point']).toBe('example.wsgi');
  });

  it('takes repeatable and two-value options', () => {
    const { options } = cmd(['--url-alias', '/a', 'x', '--url-alias', '/b', 'y', '--setenv', 'A', '1 2',
      '--python-path', '/p1', '--python-path', '/p2', '--passenv', 'HOME', 'wsgi.py']);
    expect(options['url-alias']).toEqual([['/a', 'x'], ['/b', 'y']]);
    expect(options.setenv).toEqual([['A', '1 2']]);
    expect(options['python-path']).toEqual(['/p1', '/p2']);
    expect(options.passenv).toEqual(['HOME']);
    expect(options['entry-point']).toBe('wsgi.py');
  });

  it('takes --flag and --no-flag for booleans', () => {
    expect(cmd(['--access-log']).options['access-log']).toBe(true);
    expect(cmd(['--no-access-log']).options['access-log']).toBe(false);
    expect(cmd([]).sources['access-log']).toBe('default');
  });

  it('rejects an unknown option and suggests the closest name', () => {
    const msg = failure(() => cmd(['--proceses', '2']));
    expect(msg).toContain('--proceses');
    expect(msg).toContain('unknown option');
    expect(msg).toContain('Did you mean --processes?');
    expect(failure(() => cmd(['--no-acess-log']))).toContain('Did you mean --access-log?');
  });

  it('rejects a missing value, naming the option and what is allowed', () => {
    expect(failure(() => cmd(['--processes']))).toMatch(/--processes.*missing value.*whole number from 1/);
    expect(failure(() => cmd(['--processes', '--threads', '3']))).toMatch(/--processes.*missing value/);
    expect(failure(() => cmd(['--url-alias', '/static']))).toMatch(/--url-alias.*missing value.*URL-PATH/);
  });

  it('rejects wrong types and out-of-range values', () => {
    expect(failure(() => cmd(['--processes', 'two']))).toBe(
      '--processes in the command line: "two" is not allowed; allowed: a whole number from 1 to 512 (processes)');
    expect(failure(() => cmd(['--port', '70000']))).toMatch(/--port.*"70000".*from 1 to 65535/);
    expect(failure(() => cmd(['--threads', '0']))).toMatch(/--threads.*"0"/);
    expect(failure(() => cmd(['--log-level', 'loud']))).toMatch(/--log-level.*"loud".*one of emerg/);
    expect(failure(() => cmd(['--application-type', 'asgi']))).toMatch(/one of script, module, paste, static/);
  });

  it('rejects two entry points', () => {
    expect(failure(() => cmd(['a.py', 'b.py']))).toMatch(/more than one entry point/);
  });
});

describe('layers and precedence', () => {
  it('default < image < .whisk/server-args < CMD < environment', () => {
    const image = parseArgv(['--port', '80', '--access-log'], 'image', '/etc/whisk/server-args');
    const file = parseArgv(['--threads', '8', '--port', '81', '--processes', '3'], 'file', '.whisk/server-args');
    const argv = parseArgv(['--threads', '9', '--processes', '4'], 'cmd', 'the command line');
    const env = envLayer({ WHISK_PROCESSES: '6' });
    const { options, sources } = mergeLayers([image, file, argv, env]);
    expect([options['access-log'], sources['access-log']]).toEqual([true, 'image']);
    expect([options.port, sources.port]).toEqual([81, 'file']);
    expect([options.threads, sources.threads]).toEqual([9, 'cmd']);
    expect([options.processes, sources.processes]).toEqual([6, 'env']);
  });

  it('accumulates repeatable options, a later layer replacing the same key', () => {
    const file = parseArgv(['--url-alias', '/static', 'a', '--setenv', 'X', '1'], 'file', 'f');
    const env = envLayer({ WHISK_URL_ALIAS: '/static b /media "my media"', WHISK_SETENV: 'Y 2' });
    const { options } = mergeLayers([file, env]);
    expect(options['url-alias']).toEqual([['/static', 'b'], ['/media', 'my media']]);
    expect(options.setenv).toEqual([['X', '1'], ['Y', '2']]);
  });

  it('accepts MOD_WSGI_* as an alias; WHISK_* wins', () => {
    expect(mergeLayers([envLayer({ MOD_WSGI_THREADS: '7' })]).options.threads).toBe(7);
    expect(mergeLayers([envLayer({ MOD_WSGI_THREADS: '7', WHISK_THREADS: '3' })]).options.threads).toBe(3);
    expect(mergeLayers([envLayer({ WHISK_ACCESS_LOG: 'off' })]).options['access-log']).toBe(false);
    expect(mergeLayers([envLayer({ WHISK_ENTRY_POINT: 'app.py' })]).options['entry-point']).toBe('app.py');
  });

  it('names the environment variable when its value is bad', () => {
    expect(failure(() => mergeLayers([envLayer({ WHISK_PROCESSES: 'two' })]))).toBe(
      'WHISK_PROCESSES (--processes): "two" is not allowed; allowed: a whole number from 1 to 512 (processes)');
    expect(failure(() => mergeLayers([envLayer({ MOD_WSGI_PORT: '0' })]))).toMatch(/^MOD_WSGI_PORT \(--port\)/);
    expect(failure(() => envLayer({ WHISK_URL_ALIAS: '/static' }))).toMatch(/WHISK_URL_ALIAS.*odd number of words/);
  });

  it('splits .whisk/server-args: lines, quotes, comments and $VAR expansion', () => {
    const words = splitServerArgs('# tuning\n--processes $PROCS  # from env\n--url-alias /s "my dir"\n--setenv GREETING ${WHO}\n',
      { PROCS: '3', WHO: 'world' });
    expect(words).toEqual(['--processes', '3', '--url-alias', '/s', 'my dir', '--setenv', 'GREETING', 'world']);
    expect(() => splitServerArgs('--port 80; rm -rf /', {})).toThrow(/shell operator/);
  });
});

describe('help', () => {
  it('lists every option with its environment name and directive', () => {
    const help = helpText();
    for (const name of Object.keys(OPTION_TABLE)) {
      expect(help).toContain(`--${name}`);
      expect(help).toContain(`WHISK_${name.toUpperCase().replace(/-/g, '_')}`);
    }
    expect(help).toContain('--threads NUMBER');
    expect(help).toContain('Default: 5 threads.');
    expect(help).toContain('--url-alias URL-PATH FILE-PATH|DIRECTORY-PATH');
  });
});

describe('README', () => {
  it('carries the option table generated from the one option table (npm run docs)', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const { markdownTable } = await import('../../entrypoint/options.js');
    expect(readme).toContain(markdownTable());
  });
});
