/**
 * `whisk start` fails at once, with exit 2 and one line naming the option, for input it
 * cannot carry out exactly; nothing is started and no Node stack trace reaches the user.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { EXAMPLES, start, stopAll, tempApp, USER, WHISK } from '../helpers/host.js';

afterEach(stopAll);

const hello = path.join(EXAMPLES, 'hello');
async function refused(args: string[], env: Record<string, string> = {}, cwd = hello) {
  const r = await execa(WHISK, ['start', '--port', '18999', ...args], { cwd, reject: false, env, timeout: 20_000 });
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/AH0|\n\s+at |internal error/);
  return r.stderr;
}

describe('hostile values', () => {
  it.each([
    [['--working-directory', '.\nAlias /etc /etc', 'wsgi.py'], /^whisk: error: --working-directory in the command line: .*contains a newline/],
    [['--user', 'whisk\nInclude /app/evil.conf', 'wsgi.py'], /^whisk: error: --user in the command line: .*contains a newline/],
    [['--passenv', 'HOME\nAlias / /', 'wsgi.py'], /^whisk: error: --passenv in the command line: .*contains a newline/],
    [['--url-alias=/s', 'static', 'wsgi.py'], /takes two values, so it cannot be written with =/],
    [['--threads', '-1', 'wsgi.py'], /^whisk: error: --threads in the command line: "-1" is not allowed/],
    [['--url-alias', '/all', '/', 'wsgi.py'], /--url-alias \/all: "\/" would serve the whole filesystem/],
    [['--host', 'not a host', 'wsgi.py'], /--host in the command line: "not a host" is not allowed/],
  ])('%j exits 2 naming the option', async (args, message) => {
    expect(await refused(args as string[])).toMatch(message as RegExp);
  });

  it('refuses the same from the environment and from .whisk/server-args', async () => {
    expect(await refused(['wsgi.py'], { WHISK_WORKING_DIRECTORY: '.\nAlias /etc /etc' })).toMatch(/WHISK_WORKING_DIRECTORY \(--working-directory\): .*newline/);
    expect(await refused(['wsgi.py'], { WHISK_SETENV: "A 'unclosed" })).toMatch(/WHISK_SETENV \(--setenv\): the value cannot be split into words/);
    const app = tempApp('args', '', { '.whisk/server-args': '--working-directory "a\nb"\n' });
    expect(await refused(['wsgi.py'], {}, app)).toMatch(/--working-directory in \.whisk\/server-args: .*newline/);
    // argv and the environment cannot hold a NUL; a file can.
    const nul = tempApp('nul', '', { '.whisk/server-args': '--setenv A "b\u0000c"\n' });
    expect(await refused(['wsgi.py'], {}, nul)).toMatch(/--setenv in \.whisk\/server-args A: the value contains a NUL \(U\+0000\)/);
  });
});

describe('addresses Apache could not listen on', () => {
  it('fail before anything starts: a host that does not resolve, one not on this machine, a port in use', async () => {
    expect(await refused(['--host', 'nosuchhost.invalid', 'wsgi.py'])).toMatch(/--host: "nosuchhost\.invalid" does not resolve to an address/);
    expect(await refused(['--host', '192.0.2.1', 'wsgi.py'])).toMatch(/--host: "192\.0\.2\.1" is not an address of this machine/);
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const port = (held.address() as net.AddressInfo).port;
    try {
      expect(await refused(['--host', '127.0.0.1', '--port', String(port), 'wsgi.py'])).toMatch(
        new RegExp(`--port: ${port} is already in use on 127\\.0\\.0\\.1`),
      );
    } finally {
      held.close();
    }
  });
});

describe('unusable server roots', () => {
  it.each([
    ['/proc/x', /--server-root \/proc\/x: \/proc is a virtual filesystem/],
    ['/sys/whisk', /--server-root \/sys\/whisk: \/sys is a virtual filesystem/],
    ['/etc/passwd/x', /--server-root \/etc\/passwd\/x: \/etc\/passwd is not a directory/],
  ])('--server-root %s fails at once with one line', async (dir, message) => {
    const t0 = Date.now();
    expect(await refused(['--server-root', dir, ...USER, 'wsgi.py'])).toMatch(message);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('refuses a directory holding files whisk did not write, and touches none of them', async () => {
    const dir = tempTree('user-data', { 'notes.txt': 'mine', 'httpd.conf': 'mine too' });
    expect(await refused(['--server-root', dir, ...USER, 'wsgi.py'])).toMatch(/holds files whisk did not write \(notes\.txt, httpd\.conf\)/);
    expect(fs.readFileSync(path.join(dir, 'httpd.conf'), 'utf8')).toBe('mine too');
  });

  it('says how to fix a read-only one', async () => {
    const ro = tempTree('ro');
    await execa('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
    try {
      expect(await refused(['--server-root', path.join(ro, 'root'), ...USER, 'wsgi.py'])).toMatch(
        /cannot create .* \(the file system is read-only\); allowed: a writable directory; with docker run --read-only add --tmpfs \/tmp/,
      );
    } finally {
      await execa('umount', [ro]);
    }
  });
});

describe('started as root', () => {
  it('refuses --user root and a user that does not exist', async () => {
    expect(await refused(['--user', 'root', 'wsgi.py'])).toMatch(/--user: "root" is root \(uid 0\); allowed: a user other than root/);
    expect(await refused(['--user', 'nosuchuser', 'wsgi.py'])).toMatch(/--user: "nosuchuser" is not a user of this system/);
  });

  it('refuses a server root another user can write', async () => {
    const dir = tempTree('shared');
    fs.chownSync(dir, 65534, 65534);
    expect(await refused(['--server-root', dir, ...USER, 'wsgi.py'])).toMatch(/is owned by uid 65534, and whisk runs as root/);
    fs.chownSync(dir, 0, 0);
    fs.chmodSync(dir, 0o775);
    expect(await refused(['--server-root', dir, ...USER, 'wsgi.py'])).toMatch(/is writable by others than root/);
  });

  it('writes a root-only server root and runs the deploy hook as --user', async () => {
    const app = tempApp(
      'deploy',
      'import os\ndef application(e, s):\n    s("200 OK", [])\n    return [open(os.path.join(os.path.dirname(__file__), "who")).read().encode()]\n',
      { '.whisk/hooks/deploy': '#!/bin/sh\nid -u > who\n' },
    );
    fs.chmodSync(path.join(app, '.whisk/hooks/deploy'), 0o755);
    fs.chmodSync(app, 0o777);
    const s = await start(app, ['wsgi.py']);
    expect((await request(s.port, '/')).body.trim()).toBe('65534');
    for (const f of ['', 'httpd.conf', 'handler.wsgi', 'state.json', 'httpd.pid']) {
      const st = fs.statSync(path.join(s.serverRoot, f));
      expect([f, st.uid, st.mode & 0o022]).toEqual([f, 0, 0]);
    }
  });
});
