import { describe, expect, it } from 'vitest';
import { envLayer, mergeLayers, parseArgv, parseServerArgs } from '../../../entrypoint/options/parse.js';
import { OPTION_NAMES, specOf } from '../../../entrypoint/options/table.js';
import { cmd, usageFailure as failure } from '../../helpers/options.js';

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
    expect(options['chunked-request']).toBe(false);
    expect(options.processes).toBeUndefined();
    expect(sources.threads).toBe('default');
  });

  it('reads the seed CMD line', () => {
    const { options } = cmd(['--working-directory', 'example', '--url-alias', '/static', 'example/htdocs', '--application-type', 'module', 'example.wsgi']);
    expect(options['working-directory']).toBe('example');
    expect(options['url-alias']).toEqual([['/static', 'example/htdocs']]);
    expect(options['application-type']).toBe('module');
    expect(options['entry-point']).toBe('example.wsgi');
  });

  it('takes repeatable and two-value options', () => {
    const { options } = cmd([
      '--url-alias',
      '/a',
      'x',
      '--url-alias',
      '/b',
      'y',
      '--setenv',
      'A',
      '1 2',
      '--python-path',
      '/p1',
      '--python-path',
      '/p2',
      '--passenv',
      'HOME',
      'wsgi.py',
    ]);
    expect(options['url-alias']).toEqual([
      ['/a', 'x'],
      ['/b', 'y'],
    ]);
    expect(options.setenv).toEqual([['A', '1 2']]);
    expect(options['python-path']).toEqual(['/p1', '/p2']);
    expect(options.passenv).toEqual(['HOME']);
    expect(options['entry-point']).toBe('wsgi.py');
  });

  it('takes --name=value for every single-value option', () => {
    for (const n of OPTION_NAMES) {
      const s = specOf(n);
      const sample: Record<string, string> = {
        host: '127.0.0.1',
        identifier: 'app',
        account: 'nobody',
        'file-name': 'index.html',
        email: 'ops@example.test',
        'acme-url': 'https://ca.test/dir',
      };
      const value = {
        integer: String('min' in s ? Math.max(s.min, 1) : 1),
        choice: 'choices' in s ? s.choices[0] : '',
        string: 'format' in s ? (sample[s.format] ?? '/x') : '',
        boolean: 'on',
        list: '',
        pairs: '',
      }[s.kind];
      if (s.kind === 'list' || s.kind === 'pairs') continue;
      const { options } = cmd([`--${n}=${value}`]);
      expect(String(options[n]), n).toBe(s.kind === 'boolean' ? 'true' : value);
    }
    expect(cmd(['--python-path=/a', '--python-path=/b']).options['python-path']).toEqual(['/a', '/b']);
  });

  it('takes --flag, --no-flag and --flag=BOOLEAN', () => {
    expect(cmd(['--access-log']).options['access-log']).toBe(true);
    expect(cmd(['--no-access-log']).options['access-log']).toBe(false);
    expect(cmd(['--access-log=off']).options['access-log']).toBe(false);
    expect(cmd(['--chunked-request=yes']).options['chunked-request']).toBe(true);
    expect(cmd([]).sources['access-log']).toBe('default');
    expect(failure(() => cmd(['--access-log=maybe']))).toMatch(/--access-log in the command line: "maybe" is not allowed; allowed: no value/);
  });

  it('accepts --entry-point, as mod_wsgi-express does, but not together with a positional one', () => {
    expect(cmd(['--entry-point', 'app.wsgi']).options['entry-point']).toBe('app.wsgi');
    expect(cmd(['--entry-point=app.wsgi']).options['entry-point']).toBe('app.wsgi');
    expect(failure(() => cmd(['--entry-point', 'a.wsgi', 'b.wsgi']))).toMatch(/more than one entry point given \("a.wsgi", "b.wsgi"\)/);
  });

  it('refuses --NAME=VALUE for a two-value option with a clear message', () => {
    expect(failure(() => cmd(['--url-alias=/s', 'static']))).toBe(
      '--url-alias=/s in the command line: --url-alias takes two values, so it cannot be written with =; allowed: --url-alias URL-PATH FILE-PATH|DIRECTORY-PATH',
    );
    expect(failure(() => cmd(['--setenv=A', 'B']))).toMatch(/^--setenv=A .*takes two values/);
  });

  it('has --no-NAME for flags only', () => {
    expect(failure(() => cmd(['--no-processes']))).toMatch(
      /^--no-processes in the command line: only a flag has a --no- form.*allowed for --processes: a whole number/,
    );
    expect(failure(() => cmd(['--no-url-alias']))).toMatch(/only a flag has a --no- form/);
    expect(failure(() => cmd(['--no-access-log=1']))).toMatch(/only a flag has a --no- form, with no value/);
  });

  it('names the option for a negative number', () => {
    expect(failure(() => cmd(['--threads', '-1']))).toBe(
      '--threads in the command line: "-1" is not allowed; allowed: a whole number from 1 to 1024 (threads)',
    );
    expect(failure(() => cmd(['--processes=-3']))).toMatch(/^--processes in the command line: "-3" is not allowed/);
  });

  it('rejects an unknown option and suggests the closest name', () => {
    const msg = failure(() => cmd(['--proceses', '2']));
    expect(msg).toContain('--proceses');
    expect(msg).toContain('unknown option');
    expect(msg).toContain('Did you mean --processes?');
    expect(failure(() => cmd(['--no-acess-log']))).toContain('Did you mean --access-log?');
    expect(failure(() => cmd(['-p', '80']))).toMatch(/^-p in the command line: unknown option/);
  });

  it('rejects a missing value, naming the option and what is allowed', () => {
    expect(failure(() => cmd(['--processes']))).toMatch(/--processes.*missing value.*whole number from 1/);
    expect(failure(() => cmd(['--processes', '--threads', '3']))).toMatch(/--processes.*missing value/);
    expect(failure(() => cmd(['--url-alias', '/static']))).toMatch(/--url-alias.*missing value.*URL-PATH/);
  });

  it('rejects wrong types and out-of-range values', () => {
    expect(failure(() => cmd(['--processes', 'two']))).toBe(
      '--processes in the command line: "two" is not allowed; allowed: a whole number from 1 to 512 (processes)',
    );
    expect(failure(() => cmd(['--port', '70000']))).toMatch(/--port.*"70000".*from 1 to 65535/);
    expect(failure(() => cmd(['--threads', '0']))).toMatch(/--threads.*"0"/);
    expect(failure(() => cmd(['--log-level', 'loud']))).toMatch(/--log-level.*"loud".*one of emerg/);
    expect(failure(() => cmd(['--application-type', 'wsgi']))).toMatch(/one of script, module, paste, asgi, static/);
  });

  it('rejects two entry points', () => {
    expect(failure(() => cmd(['a.py', 'b.py']))).toMatch(/more than one entry point/);
  });
});

describe('values: exact or refused', () => {
  // Newline, carriage return and NUL in every free-form option, from every layer.
  const BAD = [
    ['\n', 'a newline (U+000A)'],
    ['\r', 'a carriage return (U+000D)'],
    ['\u0000', 'a NUL (U+0000)'],
    ['\u001b', 'a control character (U+001B)'],
  ];
  const FREE_FORM = OPTION_NAMES.filter((n) => ['string', 'list'].includes(specOf(n).kind));

  it.each(BAD)('refuses %j in every free-form option, naming it', (c, what) => {
    for (const n of FREE_FORM) {
      expect(
        failure(() => cmd([`--${n}`, `/app${c}Include /etc/x`])),
        n,
      ).toMatch(new RegExp(`^--${n} in the command line: .* contains ${what.replace(/[()+]/g, '\\$&')}`));
    }
    expect(failure(() => cmd(['--url-alias', '/s', `dir${c}x`]))).toMatch(/^--url-alias in the command line \/s: .*contains/);
    expect(failure(() => cmd(['--url-alias', `/s${c}`, 'dir']))).toMatch(/^--url-alias in the command line: .*contains/);
    expect(failure(() => cmd([`wsgi${c}.py`]))).toMatch(/^entry point in the command line: .*contains/);
  });

  it('refuses them in the environment and in .whisk/server-args too', () => {
    expect(failure(() => mergeLayers([envLayer({ WHISK_WORKING_DIRECTORY: 'x\nAlias / /etc' })]))).toMatch(
      /^WHISK_WORKING_DIRECTORY \(--working-directory\): "x\\nAlias \/ \/etc" contains a newline \(U\+000A\)/,
    );
    expect(failure(() => mergeLayers([envLayer({ WHISK_USER: 'whisk\nInclude /app/x' })]))).toMatch(/^WHISK_USER \(--user\): .*newline/);
    expect(failure(() => mergeLayers([envLayer({ WHISK_PASSENV: "'HOME\nX'" })]))).toMatch(/^WHISK_PASSENV \(--passenv\): .*newline/);
    expect(failure(() => mergeLayers([parseServerArgs("--working-directory 'a\nb'", 'file', '.whisk/server-args')]))).toMatch(
      /^--working-directory in \.whisk\/server-args: .*newline/,
    );
  });

  it('never shows a --setenv value in a message', () => {
    const msg = failure(() => cmd(['--setenv', 'SECRET_KEY', 'hunter2\nx']));
    expect(msg).toBe('--setenv in the command line SECRET_KEY: the value contains a newline (U+000A) at character 8; allowed: printable characters only');
    expect(msg).not.toContain('hunter2');
    expect(failure(() => envLayer({ WHISK_SETENV: "A 'hunter2" }))).not.toContain('hunter2');
  });

  it.each([
    [['--host', 'exa mple'], /--host.*an IPv4 or IPv6 address or a host name/],
    [['--host', '-bad.example'], /--host.*host name/],
    [['--server-root', 'relative/dir'], /--server-root.*absolute file-system path/],
    [['--mount-point', 'app'], /--mount-point.*URL path starting with \//],
    [['--mount-point', '/a/../b'], /--mount-point.*no \. or \.\. segments/],
    [['--mount-point', '/a?b'], /--mount-point.*no \? or #/],
    [['--health-check-path', '/héalth'], /--health-check-path.*letters, digits/],
    [['--health-check-path', 'health'], /--health-check-path.*URL path/],
    [['--setenv', 'MY VAR', 'x'], /--setenv.*"MY VAR".*WSGI environ key: printable ASCII without spaces/],
    [['--setenv', 'clé', 'x'], /--setenv.*"clé".*printable ASCII/],
    [['--passenv', 'A B'], /--passenv.*environment variable name/],
    [['--callable-object', 'app()'], /--callable-object.*Python identifier/],
    [['--user', 'who are you'], /--user.*user or group name/],
    [['--group', 'a:b'], /--group.*user or group name/],
    [['--user', '-x'], /--user.*not starting with -/],
    [['--user', 'www/data'], /--user.*user or group name/],
    [['--directory-index', 'a/index.html'], /--directory-index.*file name without \//],
    [['--url-alias', 'static', 'dir'], /--url-alias.*"static".*URL path starting with \//],
  ])('validates %j before anything starts', (argv, message) => {
    expect(failure(() => cmd(argv as string[]))).toMatch(message as RegExp);
  });

  it.each([
    ['--host', '127.0.0.1'],
    ['--host', '::1'],
    ['--host', 'localhost'],
    ['--host', 'web-1.example.org'],
    ['--mount-point', '/'],
    ['--mount-point', '/app'],
    ['--mount-point', "/a-b_c.d~!$&'()+,;=:@%20"],
    ['--mount-point', '/boutique/médias'],
    ['--health-check-path', '/health/ready'],
    ['--user', 'www-data'],
    ['--user', '#1001'],
    ['--user', 'first.last'],
    ['--user', 'ADMIN$'],
    ['--group', 'Domain Users'.replace(' ', '_')],
    ['--callable-object', 'app'],
    ['--callable-object', 'приложение'],
    ['--server-root', '/srv/x y'],
    ['--host', 'my_service'],
  ])('accepts %s %j', (name, value) => {
    expect(cmd([name, value]).options[name.slice(2) as 'host']).toBe(value);
  });

  it.each([
    ['trac.env_path', '/srv/trac'],
    ['MY-VAR', 'x'],
    ['1X', 'y'],
    ['a"b\\c${d}#e', 'z'],
    ['FEATURE', ''],
  ])('--setenv takes any key SetEnv carries exactly, and an empty value: %j %j', (key, value) => {
    expect(cmd(['--setenv', key, value]).options.setenv).toEqual([[key, value]]);
  });

  it('gives the plan one spelling of a value written several ways: a bare --host, a header as the table spells it', () => {
    expect(cmd(['--host', '[::1]']).options.host).toBe('::1');
    expect(cmd(['--host', '127.0.0.1']).options.host).toBe('127.0.0.1');
    // A header named twice in two spellings is one entry, from the later layer.
    const merged = mergeLayers([
      parseArgv(['--trust-proxy-header', 'x-forwarded-for'], 'cmd', 'the command line'),
      envLayer({ WHISK_TRUST_PROXY_HEADER: 'X-FORWARDED-FOR x-request-id' }),
    ]);
    expect(merged.options['trust-proxy-header']).toEqual(['X-Forwarded-For', 'X-Request-ID']);
    expect(merged.entrySources['trust-proxy-header']).toEqual(['env', 'env']);
  });

  it('takes printable values exactly: spaces, quotes, $, ${}, #, \\ and non-ASCII', () => {
    const value = ' s3cr3t $w2 ${PATH} #x &y *z "q" \'s\' \\b é ';
    expect(cmd(['--setenv', 'K', value]).options.setenv).toEqual([['K', value]]);
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

  it('accumulates repeatable options, a later layer replacing the same key, each entry with its source', () => {
    const file = parseArgv(['--url-alias', '/static', 'a', '--setenv', 'X', '1', '--setenv', 'Z', '3'], 'file', 'f');
    const env = envLayer({ WHISK_URL_ALIAS: '/static b /media "my media"', WHISK_SETENV: 'Y 2 Z 4' });
    const { options, entrySources } = mergeLayers([file, env]);
    expect(options['url-alias']).toEqual([
      ['/static', 'b'],
      ['/media', 'my media'],
    ]);
    expect(options.setenv).toEqual([
      ['X', '1'],
      ['Y', '2'],
      ['Z', '4'],
    ]);
    expect(entrySources.setenv).toEqual(['file', 'env', 'env']);
    expect(entrySources['url-alias']).toEqual(['env', 'env']);
  });

  it('accepts MOD_WSGI_* as an alias; WHISK_* wins', () => {
    expect(mergeLayers([envLayer({ MOD_WSGI_THREADS: '7' })]).options.threads).toBe(7);
    expect(mergeLayers([envLayer({ MOD_WSGI_THREADS: '7', WHISK_THREADS: '3' })]).options.threads).toBe(3);
    expect(mergeLayers([envLayer({ WHISK_ACCESS_LOG: 'off' })]).options['access-log']).toBe(false);
    expect(mergeLayers([envLayer({ WHISK_ENTRY_POINT: 'app.py' })]).options['entry-point']).toBe('app.py');
  });

  it('names the environment variable when its value is bad', () => {
    expect(failure(() => mergeLayers([envLayer({ WHISK_PROCESSES: 'two' })]))).toBe(
      'WHISK_PROCESSES (--processes): "two" is not allowed; allowed: a whole number from 1 to 512 (processes)',
    );
    expect(failure(() => mergeLayers([envLayer({ MOD_WSGI_PORT: '0' })]))).toMatch(/^MOD_WSGI_PORT \(--port\)/);
    expect(failure(() => envLayer({ WHISK_URL_ALIAS: '/static' }))).toMatch(/^WHISK_URL_ALIAS \(--url-alias\): 1 word, an odd number/);
    expect(failure(() => envLayer({ WHISK_PYTHON_PATH: '"/a b' }))).toMatch(
      /^WHISK_PYTHON_PATH \(--python-path\): "\\"\/a b" cannot be split into words: a " opened at character 1 is never closed/,
    );
  });

  it('refuses a WHISK_* variable that names no option, suggesting the closest', () => {
    expect(failure(() => envLayer({ WHISK_PROCESES: '2' }))).toBe(
      'WHISK_PROCESES: no whisk option has this name. Did you mean WHISK_PROCESSES? See whisk --help.',
    );
    expect(envLayer({ WHISK_EXEC_FD: '3', MOD_WSGI_UNRELATED: 'x' }).values.size).toBe(0);
  });

  it('takes environment values literally: $, #, &, *, \\ and quotes for grouping only', () => {
    const env = envLayer({
      WHISK_SETENV: "SECRET_KEY 'django-insecure-$w2#x&y*z\\q' DATABASE_URL postgres://u:p@db/x?a=1&b=2 GLOB *.py",
      WHISK_PYTHON_PATH: '/srv/$HOME /a\\ b "/c d"',
    });
    const { options } = mergeLayers([env]);
    expect(options.setenv).toEqual([
      ['SECRET_KEY', 'django-insecure-$w2#x&y*z\\q'],
      ['DATABASE_URL', 'postgres://u:p@db/x?a=1&b=2'],
      ['GLOB', '*.py'],
    ]);
    expect(options['python-path']).toEqual(['/srv/$HOME', '/a b', '/c d']);
  });
});

describe('.whisk/server-args', () => {
  it('splits lines, quotes and # comments, expanding nothing', () => {
    const layer = parseServerArgs(
      '# tuning\n--processes 3  # a comment\n--url-alias /s "my dir"\n--setenv GREETING ${WHO}$x#y\n',
      'file',
      '.whisk/server-args',
    );
    const { options } = mergeLayers([layer]);
    expect(options.processes).toBe(3);
    expect(options['url-alias']).toEqual([['/s', 'my dir']]);
    expect(options.setenv).toEqual([['GREETING', '${WHO}$x#y']]);
  });

  it('refuses an unclosed quote, naming the file', () => {
    expect(failure(() => parseServerArgs("--setenv A 'b", 'file', '.whisk/server-args'))).toMatch(
      /^\.whisk\/server-args: a ' opened at character 12 is never closed/,
    );
  });
});
