import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apachePid, findServer, readState, stateFile, type State } from '../../../entrypoint/system/state.js';
import { tempTree } from '../../helpers/files.js';

const state = (serverRoot: string, over: Partial<State> = {}): State => ({
  port: 8000, wsgi: true, serverRoot, command: 'node', healthToken: 't', ...over,
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
});
