/**
 * The other commands on this machine: what `whisk start` refuses before anything starts,
 * what `whisk config` prints (and Apache's own check of it), and `whisk build`'s steps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/files.js';
import { EXAMPLES, USER, WHISK } from '../helpers/host.js';

describe('bad input on this machine', () => {
  it.each([
    [['missing.py'], /entry point \(--application-type script\): ".*missing.py" does not exist/],
    [['--url-alias', '/static', 'nowhere', 'wsgi.py'], /--url-alias \/static: ".*nowhere" does not exist/],
    [['--working-directory', 'nowhere', 'wsgi.py'], /--working-directory: ".*nowhere" does not exist/],
    [['--processes', 'two', 'wsgi.py'], /--processes in the command line: "two" is not allowed; allowed: a whole number from 1 to 512/],
    [['--port', '70000', 'wsgi.py'], /--port .*"70000".*1 to 65535/],
    [['--thread', '4', 'wsgi.py'], /unknown option\. Did you mean --threads\?/],
  ])('whisk start %j exits 2 with a clear message and starts nothing', async (args, message) => {
    const r = await execa(WHISK, ['start', ...(args as string[])], { cwd: path.join(EXAMPLES, 'hello'), reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toContain('AH0');
  });

  it('whisk config prints the generated files without starting anything', async () => {
    const r = await execa(WHISK, ['config', '--processes', '3', 'wsgi.py'], { cwd: path.join(EXAMPLES, 'hello') });
    expect(r.stdout).toContain('--processes    3  [cmd]');
    expect(r.stdout).toMatch(/# ==> .*httpd.conf <==/);
    expect(r.stdout).toMatch(/# ==> .*handler.wsgi <==/);
    expect(r.stdout).toContain('processes=3');
  });

  it('Apache accepts the generated config (apache2 -t)', async () => {
    const root = tempTree('t', { 'htdocs/.keep': '' });
    const r = await execa(WHISK, ['config', '--server-root', root, ...USER, 'wsgi.py'], { cwd: path.join(EXAMPLES, 'hello') });
    const conf = r.stdout.split(/# ==> .* <==\n/)[1];
    fs.writeFileSync(path.join(root, 'httpd.conf'), conf);
    const t = await execa('/usr/sbin/apache2', ['-t', '-f', path.join(root, 'httpd.conf')], { reject: false });
    expect(t.stderr).toContain('Syntax OK');
  });
});

describe('whisk build on this machine', () => {
  it('runs a hook that is not executable with sh, with a warning', async () => {
    const app = tempTree('build', { '.whisk/hooks/build': 'echo built > built.txt\n', 'wsgi.py': '' });
    const r = await execa(WHISK, ['build', 'application', app], { env: { VIRTUAL_ENV: path.join(app, 'no-venv') } });
    expect(r.stderr).toContain('warning: .whisk/hooks/build is not executable; running it with sh');
    expect(fs.readFileSync(path.join(app, 'built.txt'), 'utf8')).toBe('built\n');
  });

  it('rejects a malformed apt-packages.txt with exit 2 before installing anything', async () => {
    const app = tempTree('build', { 'apt-packages.txt': 'python3-django; rm -rf /\n' });
    const r = await execa(WHISK, ['build', 'dependencies', app], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('apt-packages.txt: "python3-django;" is not a Debian package name');
  });
});
