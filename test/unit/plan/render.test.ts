import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_NAMES, specOf } from '../../../entrypoint/options/table.js';
import { prepare } from '../../../entrypoint/plan/prepare.js';
import { isLayoutEntry } from '../../../entrypoint/plan/config/layout.js';
import { pythonLiteral } from '../../../entrypoint/plan/render.js';
import type { Runtime } from '../../../entrypoint/plan/config/context.js';
import { tempTree } from '../../helpers/files.js';
import { testRuntime } from '../../helpers/plan.js';

const dir = tempTree('render', { 'wsgi.py': '', 'robots.txt': '', 'example/example/__init__.py': '', 'example/htdocs/.keep': '', 'media dir/.keep': '' });

/** What `whisk start ARGV` would write, started in the test's app directory with no WHISK_* environment. */
const render = (argv: string[], over: Partial<Runtime> = {}) => prepare(argv, {}, dir, testRuntime(over));
/** The `Define NAME VALUE`s of a config (VALUE unquoted as Apache reads it). */
function defines(conf: string): Map<string, string> {
  return new Map([...conf.matchAll(/^Define (\w+) (?:"((?:[^"\\]|\\.)*)"|(\S+))$/gm)].map((m) => [m[1], m[2] ?? m[3]]));
}
/**
 * The directive lines of a config as Apache reads them: comments, blank lines and Defines
 * dropped, continuations joined, each `${NAME}` of a Define replaced by its value (Apache's
 * ap_resolve_env; a value's literal `${` stays written as `${WHISK_LITERAL_DOLLAR}{`).
 */
function directives(conf: string): string[] {
  const vars = defines(conf);
  vars.delete('WHISK_LITERAL_DOLLAR');
  return conf
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('Define '))
    .map((l) => l.replace(/\$\{(\w+)\}/g, (all, name: string) => vars.get(name) ?? all));
}
const SEED = [
  '--working-directory',
  'example',
  '--url-alias',
  '/static',
  'example/htdocs',
  '--application-type',
  'module',
  'example.wsgi',
  '--server-root',
  '/tmp/sr',
];

describe('httpd.conf', () => {
  it('renders the seed CMD line directive by directive', () => {
    const conf = directives(render(SEED).files['httpd.conf']);
    expect(conf).toContain('ServerRoot "/tmp/sr"');
    expect(conf).toContain('Listen "8000"');
    expect(conf).toContain('ServerTokens Prod');
    expect(conf).toContain('ServerSignature Off');
    expect(conf).toContain('LoadModule mpm_event_module "/usr/lib/apache2/modules/mod_mpm_event.so"');
    expect(conf).toContain('WSGIRestrictEmbedded On');
    expect(conf).toContain(`Alias "/static" "${dir}/example/htdocs"`);
    expect(conf).toContain(`<Directory "${dir}/example/htdocs">`);
    const daemon = conf.find((l) => l.startsWith('WSGIDaemonProcess whisk '));
    expect(daemon).toContain(`home="${dir}/example"`);
    expect(daemon).toContain('processes=2');
    expect(daemon).toContain('threads=5');
    expect(daemon).toContain('request-timeout=60');
    expect(daemon).toContain('queue-timeout=45');
    expect(daemon).not.toContain('user=');
    expect(conf).toContain('WSGIImportScript "/tmp/sr/handler.wsgi" process-group=whisk application-group=%{GLOBAL}');
    expect(conf).toContain('WSGIHandlerScript wsgi-handler "/tmp/sr/handler.wsgi" process-group=whisk application-group=%{GLOBAL}');
    expect(conf).toContain('RewriteRule .* - [H=wsgi-handler]');
    expect(conf).toContain('DocumentRoot "/tmp/sr/htdocs"');
    expect(conf).toContain('RequestReadTimeout "header=15-30,MinRate=500" "body=15,MinRate=500"');
    expect(conf).toContain('LimitRequestBody 10485760');
    expect(conf).toContain('KeepAliveTimeout 2');
    expect(conf).toContain('ErrorLog /dev/stderr');
    expect(conf.some((l) => l.startsWith('CustomLog'))).toBe(false);
  });

  it('denies the filesystem by default and grants only what is served', () => {
    const conf = render(SEED).files['httpd.conf'];
    expect(conf).toMatch(/<Directory "\/">\s+AllowOverride None\s+Options None\s+Require all denied\s+<\/Directory>/);
    expect(conf.match(/Require all granted/g)?.length).toBe(4); // alias dir, document root, handler.wsgi, probe files
  });

  it('writes file aliases with <Files>, longest URL first, and quotes paths', () => {
    const conf = render([
      '--url-alias',
      '/static',
      'example/htdocs',
      '--url-alias',
      '/static/media',
      'media dir',
      '--url-alias',
      '/robots.txt',
      'robots.txt',
      'wsgi.py',
    ]).files['httpd.conf'];
    const order = [...conf.matchAll(/^Alias "([^"]+)"/gm)].map((m) => m[1]);
    expect(order).toEqual(['/static/media', '/robots.txt', '/static']);
    expect(conf).toContain(`Alias "/static/media" "${dir}/media dir"`);
    expect(conf).toMatch(new RegExp(`<Directory "${dir}">\\s+Options SymLinksIfOwnerMatch\\s+<Files "robots.txt">\\s+Require all granted`));
  });

  it('escapes values so they cannot break out of a directive', () => {
    const text = render(['--setenv', 'GREETING', 'say "hi"\\n ${PATH}', '--passenv', 'HOME', 'wsgi.py']).files['httpd.conf'];
    const conf = directives(text);
    expect(conf).toContain('SetEnv "GREETING" "say \\"hi\\"\\\\n ${WHISK_LITERAL_DOLLAR}{PATH}"');
    expect(conf).toContain('PassEnv "HOME"');
    // Defined before any value can use it.
    expect(text.split('\n').find((l) => l && !l.startsWith('#'))).toBe('Define WHISK_LITERAL_DOLLAR $');
  });

  it('drops privileges to --user/--group only when started as root', () => {
    const conf = directives(render(['wsgi.py'], { uid: 0 }).files['httpd.conf']);
    expect(conf).toContain('User "whisk"');
    expect(conf).toContain('Group "root"');
    expect(conf.find((l) => l.startsWith('WSGIDaemonProcess'))).toContain('user="whisk" group="root"');
  });

  it('maps options to their directives', () => {
    const conf = directives(
      render([
        '--port',
        '8080',
        '--host',
        '127.0.0.1',
        '--threads',
        '8',
        '--processes',
        '1',
        '--max-clients',
        '30',
        '--keep-alive-timeout',
        '0',
        '--log-level',
        'info',
        '--access-log',
        '--limit-request-body',
        '1024',
        '--header-timeout',
        '5',
        '--header-max-timeout',
        '0',
        '--header-min-rate',
        '0',
        '--body-timeout',
        '0',
        '--server-backlog',
        '64',
        '--socket-timeout',
        '30',
        '--directory-index',
        'index.html',
        '--maximum-requests',
        '100',
        'wsgi.py',
      ]).files['httpd.conf'],
    );
    expect(conf).toContain('Listen "127.0.0.1:8080"');
    expect(conf).toContain('KeepAlive Off');
    expect(conf).toContain('LogLevel "info"');
    expect(directives(render(['wsgi.py']).files['httpd.conf'])).toContain('LogLevel "warn" wsgi:info');
    expect(conf.join('\n')).toMatch(/^CustomLog "\|\|\/usr\/bin\/env -i \/usr\/bin\/perl \\"\/\S+\/access-log\.pl\\"" whisk env=!whisk_health_check$/m);
    expect(conf).toContain('LimitRequestBody 1024');
    expect(conf).toContain('RequestReadTimeout "header=5" "body=0"');
    expect(conf).toContain('ListenBacklog 64');
    expect(conf).toContain('Timeout 30');
    expect(conf).toContain('MaxRequestWorkers 30');
    expect(conf).toContain('DirectoryIndex "index.html"');
    expect(conf).toContain('RewriteCond %{REQUEST_FILENAME} !-d');
    const daemon = conf.find((l) => l.startsWith('WSGIDaemonProcess')) as string;
    expect(daemon).toContain('processes=1 threads=8');
    expect(daemon).toContain('maximum-requests=100');
  });

  it('writes only files the server root layout names, for every kind of application', () => {
    const all = [
      [
        '--access-log',
        '--metrics',
        '--https-port',
        '8443',
        '--server-name',
        'a.example',
        '--acme-email',
        'a@b.c',
        '--service-script',
        'beat',
        'wsgi.py',
        'wsgi.py',
      ],
      ['--application-type', 'asgi', '--service-script', 'a', 'wsgi.py', '--service-script', 'b', 'wsgi.py', 'wsgi:app'],
      ['--application-type', 'static', '.'],
    ].flatMap((argv) => Object.keys(render(argv).files));
    expect(all).toEqual(
      expect.arrayContaining(['acme-message', 'access-log.pl', 'metrics.wsgi', 'service-0.wsgi', 'service-1.wsgi', 'asgi.py', 'asgi-sockets.json']),
    );
    for (const name of all) expect(isLayoutEntry(name), name).toBe(true);
  });

  it('--server-mpm: the worker MPM for an ASGI application, the event MPM otherwise, either when given', () => {
    const mpm = (args: string[]) =>
      [...render(args).files['httpd.conf'].matchAll(/^LoadModule (mpm_\w+)_module "\/usr\/lib\/apache2\/modules\/mod_\1\.so"$/gm)].map((m) => m[1]);
    expect(mpm(['wsgi.py'])).toEqual(['mpm_event']);
    expect(mpm(['--application-type', 'asgi', 'main:app'])).toEqual(['mpm_worker']);
    expect(mpm(['--application-type', 'asgi', '--server-mpm', 'event', 'main:app'])).toEqual(['mpm_event']);
    expect(mpm(['--server-mpm', 'worker', 'wsgi.py'])).toEqual(['mpm_worker']);
  });

  it('has no mod_wsgi at all for --application-type static', () => {
    const { files } = render(['--application-type', 'static', 'example/htdocs']);
    expect(Object.keys(files)).toEqual(['httpd.conf', 'state.json']);
    expect(files['httpd.conf']).not.toContain('WSGI');
    expect(files['httpd.conf']).not.toContain('wsgi:info');
    expect(files['httpd.conf']).toContain(`DocumentRoot "${dir}/example/htdocs"`);
  });

  it('--proxy-protocol: mod_remoteip on every listener, the loopback and --proxy-protocol-exception exempt', () => {
    const conf = directives(
      render(['--proxy-protocol', '--proxy-protocol-exception', '10.0.0.0/8', '--https-port', '8443', '--ssl-certificate', 'site', 'wsgi.py']).files[
        'httpd.conf'
      ],
    );
    expect(conf).toContain('LoadModule remoteip_module "/usr/lib/apache2/modules/mod_remoteip.so"');
    expect(conf.filter((l) => l === 'RemoteIPProxyProtocol On')).toHaveLength(2);
    expect(conf).toContain('RemoteIPProxyProtocolExceptions "127.0.0.0/8" "::1" "10.0.0.0/8"');
    expect(directives(render(['wsgi.py']).files['httpd.conf']).some((l) => l.includes('remoteip'))).toBe(false);
  });

  it('matches the snapshot for the seed CMD line', () => {
    expect(render(SEED).files['httpd.conf'].replaceAll(dir, '/app')).toMatchSnapshot();
  });
});

describe('automatic certificates (--acme-email)', () => {
  it('configures mod_md for the names, accepts the terms, activates each new certificate, and redirects only once it is there', () => {
    const { files } = render([
      '--https-port',
      '443',
      '--server-name',
      'shop.example',
      '--server-alias',
      'www.shop.example',
      '--acme-email',
      'ops@shop.example',
      '--https-only',
      'wsgi.py',
    ]);
    const conf = files['httpd.conf'];
    expect(conf).toContain('LoadModule md_module "/usr/lib/apache2/modules/mod_md.so"');
    expect(conf).toContain('MDomain "shop.example" "www.shop.example"');
    expect(conf).toContain('MDCertificateAuthority "https://acme-v02.api.letsencrypt.org/directory"');
    expect(conf).toContain('MDContactEmail "ops@shop.example"');
    expect(conf).toContain('MDCertificateAgreement accepted');
    expect(conf).toContain('MDStoreDir "/var/lib/whisk/acme"');
    expect(conf).toMatch(/^MDMessageCmd \/bin\/sh ".*\/acme-message"$/m);
    expect(conf).not.toMatch(/SSLCertificateFile|Protocols/);
    expect(conf).toContain('RewriteCond "/var/lib/whisk/acme/domains/shop.example/pubcert.pem" -f');
    expect(conf).toContain('RewriteCond %{REQUEST_URI} !^/\\.well-known/acme-challenge/');
    expect(files['acme-message']).toMatch(/^pid_file=\/tmp\/whisk-8000-1001\/httpd\.pid$/m);
    expect(files['acme-message']).toContain('kill -USR1 "$(cat "$pid_file" 2>/dev/null)"');
    // The server root is a shell word in the script: quoted, so nothing in it expands.
    const hostile = render(['--https-port', '443', '--server-name', 'shop.example', '--acme-email', 'a@b.c', '--server-root', "/srv/it's $(x) `y`", 'wsgi.py']);
    expect(hostile.files['acme-message']).toContain("pid_file='/srv/it'\\''s $(x) `y`/httpd.pid'\n");
    const alpn = render(['--https-port', '443', '--server-name', 'shop.example', '--acme-email', 'a@b.c', '--acme-challenge', 'tls-alpn-01', 'wsgi.py']).files[
      'httpd.conf'
    ];
    expect(alpn).toContain('MDCAChallenges "tls-alpn-01"');
    expect(alpn).toMatch(/^ {4}Protocols "http\/1\.1" "acme-tls\/1"$/m);
  });
});

describe('--http2', () => {
  it('loads mod_http2: h2c on the plain port, h2 first in the HTTPS virtual host, no push, WebSockets over HTTP/2', () => {
    const conf = render(['--http2', '--https-port', '443', '--ssl-certificate', 'site', 'wsgi.py']).files['httpd.conf'];
    expect(conf).toMatch(/^LoadModule http2_module ".*\/mod_http2\.so"$/m);
    expect(conf).toMatch(/^Protocols "h2c" "http\/1\.1"$/m);
    expect(conf).toMatch(/^ {4}Protocols "h2" "http\/1\.1"$/m);
    expect(conf).toMatch(/^H2Push Off$/m);
    expect(conf).toMatch(/^H2WebSockets On$/m);
    const alpn = render([
      '--http2',
      '--https-port',
      '443',
      '--server-name',
      'shop.example',
      '--acme-email',
      'a@b.c',
      '--acme-challenge',
      'tls-alpn-01',
      'wsgi.py',
    ]).files['httpd.conf'];
    expect(alpn).toMatch(/^ {4}Protocols "h2" "http\/1\.1" "acme-tls\/1"$/m);
  });

  it("buffers an HTTP/2 body without a length for mod_wsgi's daemon mode only", () => {
    const daemon = render(['--http2', 'wsgi.py']).files['httpd.conf'];
    expect(daemon).toMatch(/^LoadModule buffer_module /m);
    expect(daemon).toContain(`<If "%{SERVER_PROTOCOL} == 'HTTP/2.0' && -n req_novary('Transfer-Encoding')">\n    SetInputFilter BUFFER\n</If>`);
    for (const args of [['--embedded-mode'], ['--application-type', 'asgi']]) {
      expect(render(['--http2', ...args, 'wsgi.py']).files['httpd.conf']).not.toMatch(/buffer_module|SetInputFilter/);
    }
  });

  it('is off by default: no mod_http2', () => {
    expect(render(['wsgi.py']).files['httpd.conf']).not.toMatch(/http2_module|Protocols|H2Push/);
  });
});

describe('handler.wsgi', () => {
  it("is the runtime's import and one call, the entry point in Python literals", () => {
    const handler = render(SEED).files['handler.wsgi'];
    expect(handler).toContain(
      'sys.path.insert(0, "/opt/whisk/runtime")\ntry:\n    runtime = importlib.import_module("whisk_runtime.handler")\n' +
        'finally:\n    sys.path.remove("/opt/whisk/runtime")\n',
    );
    expect(handler).toContain(
      'handle_request = runtime.start(\n    application_type="module",\n    entry_point="example.wsgi",\n' +
        `    callable_object="application",\n    working_directory="${dir}/example",\n`,
    );
    expect(handler).toContain('    mount_point="",\n');
    // Constants, the import and the call: no code of its own.
    expect(handler).not.toMatch(/^(def|class) /m);
  });
});

describe('static files', () => {
  it('hides dotfiles (but .well-known/) and backup files in aliases and the document root', () => {
    const conf = directives(render(['--url-alias', '/static', 'example/htdocs', '--document-root', 'example/htdocs', 'wsgi.py']).files['httpd.conf']);
    const rule = 'RewriteRule "(^|/)\\.(?!well-known(/|$))|~$|\\.(swp|bak|orig)$" - [R=404,L]';
    expect(conf.filter((l) => l === rule).length).toBe(3); // alias, document root, mount directory
    const pattern = new RegExp(defines(render(['wsgi.py']).files['httpd.conf']).get('WHISK_HIDDEN_FILES')!);
    for (const hidden of ['.env', '.git/config', 'a/.htaccess', 'x.txt~', '.x.swp', 'settings.py.bak', 'a.orig', '.well-knownx'])
      expect(pattern.test(hidden), hidden).toBe(true);
    for (const shown of ['app.css', '.well-known/security.txt', 'a/.well-known', 'v1.2/x.js', 'b.backup']) expect(pattern.test(shown), shown).toBe(false);
  });

  it('follows symlinks only in directories under /usr (Debian packages), else only when owners match', () => {
    const conf = render(['--url-alias', '/static', 'example/htdocs', '--url-alias', '/js', '/usr/share', 'wsgi.py']).files['httpd.conf'];
    expect(conf).toMatch(/<Directory "\/usr\/share">\s+Options FollowSymLinks\b/);
    expect(conf).toMatch(new RegExp(`<Directory "${dir}/example/htdocs">\\s+Options SymLinksIfOwnerMatch\\b`));
    expect(conf).not.toMatch(/^\s*Options .*FollowSymLinks.*\n\s*Require all denied/m);
  });

  it("labels static text files UTF-8 by extension, never the application's responses", () => {
    const conf = directives(render(['wsgi.py']).files['httpd.conf']);
    expect(conf.some((l) => l.startsWith('AddDefaultCharset'))).toBe(false);
    expect(conf.find((l) => l.startsWith('AddCharset utf-8'))).toContain('.html');
  });
});

describe('every value through one quoting function', () => {
  it('renders each free-form value quoted, however hostile', () => {
    const hostile = 'a "b" \\c ${PATH} #d';
    fs.mkdirSync(path.join(dir, hostile), { recursive: true });
    const conf = render(['--working-directory', hostile, '--url-alias', '/s', hostile, '--setenv', 'X', hostile, 'wsgi.py']).files['httpd.conf'];
    const quoted = `"${`${dir}/${hostile}`.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '${WHISK_LITERAL_DOLLAR}{')}"`;
    expect(conf).toContain(`home=${quoted}`);
    expect(conf).toContain(`Alias "/s" ${quoted}`);
    expect(conf).toContain(`<Directory ${quoted}>`);
    // Every ${ is whisk's: a literal dollar, or a name the template itself Defines.
    const names = [...conf.matchAll(/\$\{(\w*)/g)].map((m) => m[1]);
    expect(names.filter((n) => n !== 'WHISK_LITERAL_DOLLAR' && !defines(conf).has(n))).toEqual([]);
    expect(names.filter((n) => n === 'WHISK_LITERAL_DOLLAR').length).toBe(5);
  });

  it('refuses a directory Apache would read as a wildcard', () => {
    fs.mkdirSync(path.join(dir, 'st*tic'), { recursive: true });
    expect(() => render(['--url-alias', '/s', 'st*tic', 'wsgi.py'])).toThrow(/--url-alias \/s: .* a wildcard in Apache's <Directory>/);
    fs.writeFileSync(path.join(dir, 'robots[1].txt'), '');
    expect(() => render(['--url-alias', '/r', 'robots[1].txt', 'wsgi.py'])).toThrow(
      /--url-alias \/r: "robots\[1\].txt" contains "\[", a wildcard in Apache's <Files>/,
    );
  });

  it('writes Python literals into handler.wsgi', () => {
    expect(pythonLiteral('a"b\\c\u2028')).toBe('"a\\"b\\\\c\u2028"');
    expect(pythonLiteral(true)).toBe('True');
    expect(pythonLiteral(['x', 'y'])).toBe('["x", "y"]');
  });
});

describe('the option table', () => {
  it('maps every option to a directive the generated files really carry', () => {
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'extra.conf'), 'Redirect 301 /old /new\n');
    fs.writeFileSync(path.join(dir, 'rewrite.conf'), 'RewriteRule ^legacy$ /new [R=302,L]\n');
    fs.writeFileSync(path.join(dir, 'service.py'), 'import time\ntime.sleep(3600)\n');
    const everything = [
      '--service-script',
      'chat',
      'service.py',
      '--proxy-mount-point',
      '/ws',
      'http://127.0.0.1:8765/',
      '--compress-responses',
      '--static-max-age',
      '120',
      '--error-log-format',
      '%t %M',
      '--error-document',
      '503',
      '/errors/503.html',
      '--error-override',
      '--include-file',
      'extra.conf',
      '--rewrite-rules',
      'rewrite.conf',
      '--header-buffer-size',
      '65536',
      '--url-alias',
      '/static',
      'example/htdocs',
      '--document-root',
      'example/htdocs',
      '--directory-index',
      'index.html',
      '--setenv',
      'A',
      '1',
      '--passenv',
      'HOME',
      '--access-log',
      '--chunked-request',
      '--processes',
      '3',
      '--python-path',
      'lib',
      '--host',
      '127.0.0.1',
      '--mount-point',
      '/',
      '--health-check-path',
      '/ping',
      '--trust-proxy',
      '10.0.0.0/8',
      '--trust-proxy-header',
      'X-Forwarded-For',
      '--trust-proxy-header',
      'X-Forwarded-Proto',
      '--server-status',
      '--metrics',
      '--status-allow',
      '10.0.0.0/8',
      '--https-port',
      '8443',
      '--ssl-certificate',
      'site',
      '--ssl-certificate-chain-file',
      'chain.crt',
      '--ssl-ca-certificate-file',
      'ca.crt',
      '--ssl-verify-client',
      '/private',
      '--ssl-environment',
      '--https-only',
      '--hsts-policy',
      'max-age=60',
      '--server-name',
      'shop.example',
      '--server-alias',
      'www.shop.example',
      '--proxy-protocol',
      '--proxy-protocol-exception',
      '10.1.2.3',
      '--http2',
      '--early-hint',
      '/',
      '</static/site.css>; rel=preload; as=style',
      '--cache-responses',
      '--cache-size',
      '33554432',
      'wsgi.py',
    ];
    const { files } = render(everything, { uid: 0 });
    // --acme-email's options take the place of the certificate files: a second configuration.
    const acme = render(
      [
        '--https-port',
        '8443',
        '--server-name',
        'shop.example',
        '--acme-email',
        'ops@shop.example',
        '--acme-ca',
        'https://ca.test/dir',
        '--acme-ca-certificate-file',
        'ca.crt',
        '--acme-challenge',
        'tls-alpn-01',
        '--acme-store',
        '/data/acme',
        'wsgi.py',
      ],
      { uid: 0 },
    );
    // --sticky-sessions is for an ASGI application's processes: a third configuration.
    const asgi = render(['--application-type', 'asgi', '--sticky-sessions', 'wsgi:app'], { uid: 0 });
    const conf = [...directives(files['httpd.conf']), ...directives(acme.files['httpd.conf']), ...directives(asgi.files['httpd.conf'])];
    for (const n of OPTION_NAMES) {
      for (const part of specOf(n).directive.split(' / ')) {
        const m = /^([A-Z][A-Za-z0-9]+)(?: ([a-z-]+=))?/.exec(part);
        if (!m || m[1] === 'HEALTHCHECK') {
          expect(part, n).toMatch(/handler\.wsgi|HEALTHCHECK|<Directory>|shutdown-delay\.sh|asgi\.py/);
          continue;
        }
        const line = conf.find((l) => l.startsWith(`${m[1]} `) && (!m[2] || l.includes(` ${m[2]}`) || l.includes(` "${m[2]}`)));
        expect(line, `--${n} maps to ${part}`).toBeDefined();
      }
    }
    expect(files['handler.wsgi']).toContain(`    python_paths=["${dir}/lib"],\n`);
    expect(conf).toContain('ErrorDocument 503 "/errors/503.html"');
    expect(conf).toContain(`Include "${dir}/extra.conf"`);
    expect(directives(files['httpd.conf']).at(-1)).toBe(`Include "${dir}/extra.conf"`);
    expect(conf).toContain('RewriteOptions InheritDownBefore');
    expect(conf.find((l) => l.startsWith('WSGIDaemonProcess'))).toContain('header-buffer-size=65536');
    expect(conf).toContain('ProxyPass "/ws/" "http://127.0.0.1:8765/" upgrade=websocket mapping=servlet');
    expect(conf).toContain('RedirectMatch 302 "^\\\\/ws$" "/ws/"');
    expect(conf.find((l) => l.startsWith('WSGIDaemonProcess "service:'))).toMatch(
      /^WSGIDaemonProcess "service:chat" display-name="\(service:chat\)" .* threads=0 /,
    );
    expect(conf).toContain(
      `WSGIImportScript "${files['httpd.conf'].match(/WSGIImportScript "([^"]*service-0\.wsgi)"/)![1]}" process-group="service:chat" application-group=%{GLOBAL}`,
    );
    expect(files['service-0.wsgi']).toContain(`    script="${dir}/service.py",\n`);
    expect(files['httpd.conf']).toContain('<Location "/">\n    H2EarlyHint Link "</static/site.css>; rel=preload; as=style"\n</Location>');
    expect(conf).toContain(`CacheSocache "shmcb:${files['httpd.conf'].match(/CacheSocache "shmcb:([^"(]*)/)![1]}(33554432)"`);
    expect(conf).toContain('CacheSocacheMaxSize 262144');
    expect(conf.filter((l) => l.startsWith('BalancerMember ')).map((l) => l.split(' ').at(-1))).toEqual(['route=0', 'route=1']);
    expect(conf).toContain('ProxySet stickysession=whisk-route');
  });
});

describe('settings log', () => {
  it('lists non-default settings with their source, computed ones included', () => {
    const { view } = render(SEED);
    expect(view.settings).toContainEqual({ name: 'application-type', value: 'module', source: 'cmd' });
    expect(view.settings.find((s) => s.name === 'processes')).toMatchObject({ source: 'computed' });
    expect(view.settings.find((s) => s.name === 'processes')?.value).toMatch(/^2 \(cpus 2/);
    expect(view.settings.find((s) => s.name === 'threads')).toBeUndefined();
  });

  it('never shows a --setenv value, and gives each entry its own source', () => {
    const { view } = render(['--setenv', 'SECRET_KEY', 'hunter2', '--setenv', 'DEBUG', '0', 'wsgi.py']);
    const setenv = view.settings.filter((s) => s.name === 'setenv');
    expect(setenv).toEqual([
      { name: 'setenv', value: 'SECRET_KEY=(hidden)', source: 'cmd' },
      { name: 'setenv', value: 'DEBUG=(hidden)', source: 'cmd' },
    ]);
    expect(JSON.stringify(view.settings)).not.toContain('hunter2');
  });
});
