/**
 * The launcher's ASGI socket holder (entrypoint/asgi-sockets.py, dist/asgi-sockets): it binds
 * each socket, hands it down at its descriptor and execs the command; it replaces a stale
 * socket, never another file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/files.js';
import { ROOT } from '../helpers/http.js';

const HOLDER = path.join(ROOT, 'dist', 'asgi-sockets');
/** A command that prints what it inherited at descriptors 10 and 11. */
const SHOW = ['/usr/bin/python3', '-c', 'import os, socket; print([socket.socket(fileno=os.dup(10 + i)).getsockname() for i in range(2)])'];

function spec(dir: string) {
  const sockets = [path.join(dir, 'asgi-0.sock'), path.join(dir, 'asgi-1.sock')];
  const file = path.join(dir, 'asgi-sockets.json');
  fs.writeFileSync(file, JSON.stringify({ sockets, firstFd: 10 }));
  return { sockets, file };
}

describe('asgi-sockets', () => {
  it('binds each socket (0600), hands it down at FIRST_FD + index and execs the command', async () => {
    const { sockets, file } = spec(tempTree('holder'));
    const r = await execa('/usr/bin/python3', ['-I', HOLDER, file, ...SHOW]);
    expect(r.stdout).toBe(`['${sockets[0]}', '${sockets[1]}']`);
    for (const s of sockets) {
      const st = fs.statSync(s);
      expect(st.isSocket()).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
    }
    // A second start replaces the stale sockets.
    expect((await execa('/usr/bin/python3', ['-I', HOLDER, file, ...SHOW])).stdout).toBe(r.stdout);
  });

  it('never removes a file that is not a socket, and fails instead', async () => {
    const dir = tempTree('holder-file');
    const { sockets, file } = spec(dir);
    fs.writeFileSync(sockets[1], 'not a socket\n');
    const r = await execa('/usr/bin/python3', ['-I', HOLDER, file, ...SHOW], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Address already in use/);
    expect(fs.readFileSync(sockets[1], 'utf8')).toBe('not a socket\n');
  });
});
