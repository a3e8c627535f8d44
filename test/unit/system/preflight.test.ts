import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkListen, checkPort } from '../../../entrypoint/system/preflight.js';

describe('checkListen', () => {
  it('passes a free port and refuses a taken one, naming the option and the port', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(checkListen('127.0.0.1', port)).rejects.toThrow(`--port: ${port} is already in use on 127.0.0.1; allowed: a free port`);
      await expect(checkListen('127.0.0.1', port, '--https-port')).rejects.toThrow(`--https-port: ${port} is already in use`);
    } finally {
      await new Promise((r) => server.close(r));
    }
    await expect(checkListen('127.0.0.1', port)).resolves.toBeUndefined();
  });

  it("refuses an address that is not this machine's", async () => {
    // 192.0.2.1: TEST-NET-1 (RFC 5737), never a local address; bind fails without sending anything.
    await expect(checkListen('192.0.2.1', 8000)).rejects.toThrow('--host: "192.0.2.1" is not an address of this machine');
  });
});

describe('checkPort', () => {
  it('lets root and unprivileged ports through, and names the fix for a privileged one', () => {
    expect(() => checkPort(80, 0)).not.toThrow();
    expect(() => checkPort(8080, 1001)).not.toThrow();
    const start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
    if (start === 0) return; // this kernel lets anyone bind any port
    const port = Math.min(start, 1024) - 1;
    expect(() => checkPort(port, 1001)).toThrow(
      `--port: ${port} needs root here (this kernel lets non-root users bind ports from ${start} up); ` +
        `allowed: a port from ${start} to 65535, e.g. WHISK_PORT=8080`,
    );
  });
});
