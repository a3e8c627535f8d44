/**
 * --sticky-sessions with the real Socket.IO client (Debian's python3-socketio) against a
 * python-socketio ASGI application in 2 processes: every connection by long-polling (with
 * which every Socket.IO client starts), by WebSocket and by both succeeds and stays with one
 * process; without the option, polling fails as with any balancer that is not sticky.
 */
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, tempTree } from '../helpers/files.js';
import { start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

/** Five Socket.IO connections at once with these transports, each calling echo 4 times: how many succeed, all on one process. */
const CLIENT = `
import os, sys, threading, socketio
url, transports = sys.argv[1], sys.argv[2].split(',')
ok = []
def connection(i):
    client = socketio.Client(reconnection=False, request_timeout=5)
    try:
        client.connect(url, transports=transports, wait_timeout=5)
        answers = [client.call('echo', 'hi-%d' % n, timeout=5) for n in range(4)]
        if [a['data'] for a in answers] == ['hi-%d' % n for n in range(4)] and len({a['pid'] for a in answers}) == 1:
            ok.append(i)
        client.disconnect()
    except Exception as error:
        print('connection', i, repr(error), file=sys.stderr)
threads = [threading.Thread(target=connection, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(ok), flush=True)
# Not waiting for the clients' threads, whose last long-poll the server ends only at its next ping (25 s).
os._exit(0)
`;

async function connections(port: number, transports: string): Promise<number> {
  const script = tempTree('socketio-client', { 'client.py': CLIENT });
  const r = await execa('/usr/bin/python3', [`${script}/client.py`, `http://127.0.0.1:${port}`, transports], { reject: false, timeout: 60_000 });
  return Number(r.stdout.trim());
}

describe('--sticky-sessions', () => {
  it('keeps each Socket.IO session on one of 2 ASGI processes: 5 of 5 connect by polling, WebSocket and both', async () => {
    const app = tempApp('socketio', '', { 'app.py': fixture('socketio-app.py') });
    const s = await start(app, ['--sticky-sessions', '--processes', '2', '--application-type', 'asgi', 'app:app'], '/.whisk/ready');
    const [polling, websocket, both] = await Promise.all(['polling', 'websocket', 'polling,websocket'].map((t) => connections(s.port, t)));
    expect({ polling, websocket, both }).toEqual({ polling: 5, websocket: 5, both: 5 });
  });

  it('is needed: without it, long-polling sessions break across the 2 processes', async () => {
    const app = tempApp('socketio-plain', '', { 'app.py': fixture('socketio-app.py') });
    const s = await start(app, ['--processes', '2', '--application-type', 'asgi', 'app:app'], '/.whisk/ready');
    expect(await connections(s.port, 'polling')).toBeLessThan(5);
  });
});
