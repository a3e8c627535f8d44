import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apachePid, findServer, readState, stateFile, type State } from '../../../entrypoint/system/state.js';
import { tempTree } from '../../helpers/files.js';

const state = (serverRoot: string, over: Partial<State> = {}): State => ({
  port: 8000,
  wsgi: true,
  serverRoot,
  command: 'node',
  healthToken: 't',
  ...over,
});

describe('the state file', () => {
  it('is read back as whisk start wrote it, and is missing for a server root whisk never started', () => {
    const root = tempTree('state');
    expect(readState(root)).toBeUndefined();
    fs.writeFileSync(stateFile(root), JSON.stringify(state(root, { host: '::1' })));
    expect(readState(root)).toEqual(state(root, { host: '::1' }));
    expect(findServer(root)).toEqual({ state: state(root, { host: '::1' }), why: '' });
    expect(findServer(path.join(root, 'nothing')).why).toMatch(/state\.json is missing; whisk start has not run there/);
  });

  it("takes the pid file's process only while it runs under the recorded command", () => {
    const root = tempTree('state', { 'httpd.pid': `${process.pid}\n` });
    // This test's own process stands for a live Apache, under the name it runs as.
    const command = fs.readFileSync('/proc/self/comm', 'utf8').trim();
    expect(apachePid(state(root, { command }))).toBe(process.pid);
    expect(apachePid(state(root, { command: 'apache2' }))).toBeUndefined();
    fs.writeFileSync(path.join(root, 'httpd.pid'), '999999999\n');
    expect(apachePid(state(root, { command }))).toBeUndefined();
    fs.writeFileSync(path.join(root, 'httpd.pid'), `${process.pid}; rm -rf /\n`);
    expect(apachePid(state(root, { command }))).toBeUndefined();
  });

  it("believes no forged state: not through a symlink, not from a FIFO, not one naming another server root, and as root only root's own", () => {
    const real = tempTree('state');
    fs.writeFileSync(stateFile(real), JSON.stringify(state(real)));
    const forged = tempTree('state');
    // A state file pointing at the real server root, from another directory: never taken.
    fs.writeFileSync(stateFile(forged), JSON.stringify(state(real)));
    expect(readState(forged)).toBeUndefined();
    fs.rmSync(stateFile(forged));
    fs.symlinkSync(stateFile(real), stateFile(forged));
    expect(readState(forged)).toBeUndefined();
    fs.rmSync(stateFile(forged));
    execFileSync('mkfifo', [stateFile(forged)]);
    expect(readState(forged)).toBeUndefined();
    execFileSync('mkfifo', [path.join(real, 'httpd.pid')]);
    expect(apachePid(state(real, { command: 'node' }))).toBeUndefined();
    if (process.getuid?.() === 0) {
      expect(readState(real, true)).toEqual(state(real));
      fs.chownSync(stateFile(real), 1001, 0);
      expect(readState(real, true)).toBeUndefined();
      expect(readState(real, false)).toEqual(state(real));
    }
  });
});
