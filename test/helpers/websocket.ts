/**
 * WebSocket clients for the tests: Debian's python3-websockets (websocket-client.py), a real
 * client with its own framing, pings and close handling, to 127.0.0.1 only.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './http.js';

const CLIENT = path.join(ROOT, 'test/helpers/websocket-client.py');

/** A step of websocket-client.py: `['text', s]`, `['bytes', n]`, `['ping']`, `['wait-close', seconds]`. */
export type Step = ['text', string] | ['bytes', number] | ['ping'] | ['wait-close', number];

/**
 * Connects to ws://127.0.0.1:PORT/PATH and runs `steps`.
 *
 * @returns one result a step: true when an echo or pong came back, or what the close was
 * @throws Error with the client's output when it fails
 */
export function websocket(port: number, urlPath: string, steps: Step[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [CLIENT, `ws://127.0.0.1:${port}${urlPath}`, JSON.stringify(steps)], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`websocket client failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

/**
 * Opens a WebSocket that waits (at most `seconds`) for the server to close it.
 *
 * @returns `opened` once the connection is up; `closed` with the close code (null: the TCP
 *   connection was dropped without a close frame) and how long it waited
 */
export function waitingWebsocket(
  port: number,
  urlPath: string,
  seconds: number,
): { opened: Promise<void>; closed: Promise<{ closed: boolean; code: number | null; seconds: number }> } {
  const p = spawn('/usr/bin/python3', [CLIENT, `ws://127.0.0.1:${port}${urlPath}`, JSON.stringify([['wait-close', seconds]])]);
  let out = '';
  let signalOpen: () => void;
  const opened = new Promise<void>((resolve) => {
    signalOpen = resolve;
  });
  p.stdout.on('data', (d) => {
    out += d;
    if (out.includes('"ready"')) signalOpen();
  });
  const closed = new Promise<{ closed: boolean; code: number | null; seconds: number }>((resolve, reject) => {
    p.on('exit', () => {
      try {
        resolve((JSON.parse(out.trim().split('\n').at(-1)!) as [{ closed: boolean; code: number | null; seconds: number }])[0]);
      } catch {
        reject(new Error(`websocket client: ${out}`));
      }
    });
  });
  return { opened, closed };
}
