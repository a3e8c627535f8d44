import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveApplication } from '../../entrypoint/app.js';
import { buildConfig, type Runtime } from '../../entrypoint/config.js';
import { mergeLayers, parseArgv } from '../../entrypoint/options.js';
import { renderFiles } from '../../entrypoint/render.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-render-'));
fs.mkdirSync(path.join(dir, 'example/example'), { recursive: true });
fs.mkdirSync(path.join(dir, 'example/htdocs'), { recursive: true });
fs.mkdirSync(path.join(dir, 'media dir'), { recursive: true });
fs.writeFileSync(path.join(dir, 'wsgi.py'), '');
fs.writeFileSync(path.join(dir, 'robots.txt'), '');

const runtime = (over: Partial<Runtime> = {}): Runtime => ({
  uid: 1001, apacheBinary: '/usr/sbin/apache2', modulesDir: '/usr/lib/apache2/modules',
  mimeTypes: '/etc/mime.types', limits: { cpus: 2, cpuSource: 'test', memorySource: 'test' }, ...over,
});
function render(argv: string[], over: Partial<Runtime> = {}) {
  const { options, sources } = mergeLayers([parseArgv(argv, 'cmd', 'the command line')]);
  const view = buildConfig(options, sources, resolveApplication(options, sources, dir), runtime(over));
  return { view, files: renderFiles(view) };
}
/** The directive lines of a config: comments and blank lines dropped, continuations joined. */
function directives(conf: string): string[] {
  return conf.replace(/\s*\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}
const SEED = ['--working-directory', 'example', '--url-alias', '/static', 'example/htdocs', '--application-type', 'module', 'example.wsgi', '--server-root', '/tmp/sr'];

describe('httpd.conf', () => {
  it('renders the seed CMD line directive by directive', () => {
    const conf = directives(render(SEED).files['httpd.conf']);
    expect(conf).toContain('ServerRoot "/tmp/sr"');
    expect(conf).toContain('Listen 8000');
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
    expect(conf).toContain('RequestReadTimeout header=15-30,MinRate=500 body=15,MinRate=500');
    expect(conf).toContain('LimitRequestBody 10485760');
    expect(conf).toContain('KeepAliveTimeout 2');
    expect(conf).toContain('ErrorLog /dev/stderr');
    expect(conf.some((l) => l.startsWith('CustomLog'))).toBe(false);
  });

  it('denies the filesystem by default and grants only what is served', () => {
    const conf = render(SEED).files['httpd.conf'];
    expect(conf).toMatch(/<Directory \/>\s+AllowOverride None\s+Options FollowSymLinks\s+Require all denied\s+<\/Directory>/);
    expect(conf.match(/Require all granted/g)?.length).toBe(3); // alias dir, document root, handler.wsgi
  });

  it('writes file aliases with <Files>, longest URL first, and quotes paths', () => {
    const conf = render(['--url-alias', '/static', 'example/htdocs', '--url-alias', '/static/media', 'media dir',
      '--url-alias', '/robots.txt', 'robots.txt', 'wsgi.py']).files['httpd.conf'];
    const order = [...conf.matchAll(/^Alias "([^"]+)"/gm)].map((m) => m[1]);
    expect(order).toEqual(['/static/media', '/robots.txt', '/static']);
    expect(conf).toContain(`Alias "/static/media" "${dir}/media dir"`);
    expect(conf).toMatch(new RegExp(`<Directory "${dir}">\\s+<Files "robots.txt">\\s+Require all granted`));
  });

  it('escapes values so they cannot break out of a directive', () => {
    const conf = directives(render(['--setenv', 'GREETING', 'say "hi"\\n', '--passenv', 'HOME', 'wsgi.py']).files['httpd.conf']);
    expect(conf).toContain('SetEnv GREETING "say \\"hi\\"\\\\n"');
    expect(conf).toContain('PassEnv HOME');
  });

  it('drops privileges to --user/--group only when started as root', () => {
    const conf = directives(render(['wsgi.py'], { uid: 0 }).files['httpd.conf']);
    expect(conf).toContain('User whisk');
    expect(conf).toContain('Group root');
    expect(conf.find((l) => l.startsWith('WSGIDaemonProcess'))).toContain('user="whisk" group="root"');
  });

  it('maps options to their directives', () => {
    const conf = directives(render(['--port', '8080', '--host', '127.0.0.1', '--threads', '8', '--processes', '1', '--max-clients', '30',
      '--keep-alive-timeout', '0', '--log-level', 'info', '--access-log', '--limit-request-body', '1024', '--header-timeout', '5',
      '--header-max-timeout', '0', '--header-min-rate', '0', '--body-timeout', '0', '--server-backlog', '64', '--socket-timeout', '30',
      '--directory-index', 'index.html', '--maximum-requests', '100', 'wsgi.py']).files['httpd.conf']);
    expect(conf).toContain('Listen 127.0.0.1:8080');
    expect(conf).toContain('KeepAlive Off');
    expect(conf).toContain('LogLevel info');
    expect(directives(render(['wsgi.py']).files['httpd.conf'])).toContain('LogLevel warn wsgi:info');
    expect(conf).toContain('CustomLog "|/bin/cat" combined_us env=!whisk_health_check');
    expect(conf).toContain('LimitRequestBody 1024');
    expect(conf).toContain('RequestReadTimeout header=5 body=0');
    expect(conf).toContain('ListenBacklog 64');
    expect(conf).toContain('Timeout 30');
    expect(conf).toContain('MaxRequestWorkers 30');
    expect(conf).toContain('DirectoryIndex index.html');
    expect(conf).toContain('RewriteCond %{REQUEST_FILENAME} !-d');
    const daemon = conf.find((l) => l.startsWith('WSGIDaemonProcess')) as string;
    expect(daemon).toContain('processes=1 threads=8');
    expect(daemon).toContain('maximum-requests=100');
  });

  it('has no mod_wsgi at all for --application-type static', () => {
    const { files } = render(['--application-type', 'static', 'example/htdocs']);
    expect(Object.keys(files)).toEqual(['httpd.conf']);
    expect(files['httpd.conf']).not.toContain('WSGI');
    expect(files['httpd.conf']).not.toContain('wsgi:info');
    expect(files['httpd.conf']).toContain(`DocumentRoot "${dir}/example/htdocs"`);
  });

  it('matches the snapshot for the seed CMD line', () => {
    expect(render(SEED).files['httpd.conf'].replaceAll(dir, '/app')).toMatchSnapshot();
  });
});

describe('handler.wsgi', () => {
  it('carries the entry point as Python literals', () => {
    const handler = render(SEED).files['handler.wsgi'];
    expect(handler).toContain("APPLICATION_TYPE = \"module\"");
    expect(handler).toContain('ENTRY_POINT = "example.wsgi"');
    expect(handler).toContain('CALLABLE_OBJECT = "application"');
    expect(handler).toContain(`WORKING_DIRECTORY = "${dir}/example"`);
    expect(handler).toContain('MOUNT_POINT = ""');
    expect(handler).toContain('def handle_request(environ, start_response):');
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
});
