import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveApplication } from '../../../entrypoint/plan/app.js';
import { mergeLayers, parseArgv } from '../../../entrypoint/options/parse.js';
import { tempTree, writeTree } from '../../helpers/files.js';

let dir: string;
beforeEach(() => {
  dir = tempTree('app');
});
const write = (rel: string, text = '') => writeTree(dir, { [rel]: text });
const resolve = (argv: string[]) => {
  const { options, sources } = mergeLayers([parseArgv(argv, 'cmd', 'the command line')]);
  return resolveApplication(options, sources, dir);
};

describe('resolving the application', () => {
  it('resolves a script path against the start directory', () => {
    write('wsgi.py');
    const app = resolve(['wsgi.py']);
    expect(app).toMatchObject({ type: 'script', entryPoint: path.join(dir, 'wsgi.py'), callableObject: 'application', workingDirectory: dir });
  });

  it('resolves the seed layout: module, working directory and a directory alias', () => {
    write('example/example/wsgi.py');
    fs.mkdirSync(path.join(dir, 'example/htdocs'));
    const app = resolve(['--working-directory', 'example', '--url-alias', '/static', 'example/htdocs', '--application-type', 'module', 'example.wsgi']);
    expect(app.type).toBe('module');
    expect(app.entryPoint).toBe('example.wsgi');
    expect(app.workingDirectory).toBe(path.join(dir, 'example'));
    expect(app.aliases).toEqual([{ url: '/static', path: path.join(dir, 'example/htdocs'), isFile: false }]);
    expect(app.warnings).toEqual([]);
  });

  it('takes module:callable over --callable-object', () => {
    expect(resolve(['--application-type', 'module', '--callable-object', 'x', 'app:app']).callableObject).toBe('app');
    expect(resolve(['--application-type', 'module', '--callable-object', 'x', 'app']).callableObject).toBe('x');
  });

  it('orders aliases longest URL first and tells files from directories', () => {
    write('robots.txt');
    fs.mkdirSync(path.join(dir, 's'));
    fs.mkdirSync(path.join(dir, 'm'));
    write('wsgi.py');
    const app = resolve(['--url-alias', '/static', 's', '--url-alias', '/static/media/', 'm', '--url-alias', '/robots.txt', 'robots.txt', 'wsgi.py']);
    expect(app.aliases.map((a) => a.url)).toEqual(['/static/media', '/robots.txt', '/static']);
    expect(app.aliases[1].isFile).toBe(true);
  });

  it.each([
    [['missing.py'], /entry point \(--application-type script\): ".*missing.py" does not exist/],
    [['--application-type', 'paste', 'missing.ini'], /entry point \(--application-type paste\).*does not exist/],
    [['--url-alias', '/static', 'nowhere', 'wsgi.py'], /--url-alias \/static: ".*nowhere" does not exist; allowed: an existing file or directory/],
    [['--url-alias', 'static', '.', 'wsgi.py'], /--url-alias in the command line: "static" is not allowed; allowed: a URL path starting with \//],
    [['--url-alias', '/all', '/', 'wsgi.py'], /--url-alias \/all: "\/" would serve the whole filesystem/],
    [['--url-alias', '/all', '../../../../../../..', 'wsgi.py'], /--url-alias \/all: "\/" would serve the whole filesystem/],
    [['--document-root', '/', 'wsgi.py'], /--document-root: "\/" would serve the whole filesystem/],
    [['--working-directory', 'nowhere', 'wsgi.py'], /--working-directory: ".*nowhere" does not exist; allowed: an existing directory/],
    [['--working-directory', 'wsgi.py', 'wsgi.py'], /--working-directory: ".*wsgi.py" is not a directory/],
    [['--python-path', 'nowhere', 'wsgi.py'], /--python-path: ".*nowhere" does not exist/],
    [['--document-root', 'nowhere', 'wsgi.py'], /--document-root: ".*nowhere" does not exist/],
    [['--application-type', 'module', 'not a module'], /is not a module name; allowed: a dotted Python module name/],
    [['--application-type', 'module', 'pkg.mod:'], /is not a module name/],
  ])('rejects %j before anything starts', (argv, message) => {
    write('wsgi.py');
    expect(() => resolve(argv as string[])).toThrow(message as RegExp);
  });

  it('auto-detects wsgi.py, a Django project and a Paste ini when no entry point is given', () => {
    write('wsgi.py');
    expect(resolve([])).toMatchObject({ type: 'script', detected: 'wsgi.py' });
    fs.rmSync(path.join(dir, 'wsgi.py'));
    write('manage.py');
    write('mysite/settings.py');
    write('mysite/wsgi.py');
    expect(resolve([])).toMatchObject({ type: 'module', entryPoint: 'mysite.wsgi' });
    fs.rmSync(path.join(dir, 'manage.py'));
    write('production.ini', '[app:main]\nuse = call:x:main\n');
    expect(resolve([])).toMatchObject({ type: 'paste', entryPoint: path.join(dir, 'production.ini') });
  });

  it('says what it looked for when nothing is found', () => {
    expect(() => resolve([])).toThrow(/no entry point given, and none found .*looked for wsgi.py/);
  });

  it("warns when a static directory holds the application's Python source", () => {
    write('wsgi.py');
    write('static/site.css');
    write('public/hello.py');
    expect(resolve(['--url-alias', '/static', 'static', 'wsgi.py']).warnings).toEqual([]);
    const [w] = resolve(['--url-alias', '/src', '.', 'wsgi.py']).warnings;
    expect(w).toMatch(/^warning: --url-alias \/src serves .*, which holds the application's Python source .*anyone can download it/);
    expect(resolve(['--document-root', 'public', 'wsgi.py']).warnings[0]).toMatch(/--document-root serves .*public.*hello\.py/);
  });

  it('serves a directory for --application-type static', () => {
    fs.mkdirSync(path.join(dir, 'site'));
    expect(resolve(['--application-type', 'static', 'site'])).toMatchObject({ type: 'static', documentRoot: path.join(dir, 'site'), entryPoint: undefined });
  });
});
