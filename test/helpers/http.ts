/**
 * Shared test helpers: free loopback ports and bounded HTTP requests to 127.0.0.1 only.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A response: status, headers and body text. */
export interface Reply {
  status: number;
  headers: Headers;
  body: string;
}

/** GET (or another method) http://127.0.0.1:PORT/PATH with a 10 s timeout. */
export async function request(port: number, urlPath: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
    ...init,
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/**
 * Polls until the server answers `urlPath` with any HTTP response, at most `seconds`
 * (100 ms apart).
 * @throws Error when it never answers
 */
export async function waitForHttp(port: number, urlPath = '/', seconds = 30): Promise<Reply> {
  const until = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < until) {
    try {
      return await request(port, urlPath);
    } catch (error) {
      last = error;
      await sleep(100);
    }
  }
  throw new Error(`no answer on 127.0.0.1:${port}${urlPath} within ${seconds}s: ${String(last)}`);
}

/**
 * Polls until `urlPath` answers 200 (a probe that is not ready yet answers 503), at most
 * `seconds`, 100 ms apart.
 * @throws Error with the last answer when it never does
 */
export async function waitFor200(port: number, urlPath: string, seconds = 60): Promise<Reply> {
  const until = Date.now() + seconds * 1000;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await request(port, urlPath);
      if (r.status === 200) return r;
      last = `${r.status} ${r.body.slice(0, 80)}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`127.0.0.1:${port}${urlPath} did not answer 200 within ${seconds}s: ${last}`);
}

/** A response as bytes, not decoded: status, headers and body. */
export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * GET http://127.0.0.1:PORT/PATH without decompressing the body (fetch would), with a 10 s
 * timeout.
 *
 * @param headers request headers, e.g. `{ 'Accept-Encoding': 'br' }`
 * @param localAddress the address to connect from (a 127.0.0.0/8 one), i.e. the peer Apache sees
 */
export function rawGet(port: number, urlPath: string, headers: Record<string, string> = {}, localAddress?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, localAddress, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from 127.0.0.1:${port}${urlPath} within 10 s`)));
    req.on('error', reject);
  });
}

/** What {@link clientLoop} saw: responses by status (or client error code) and the bodies of the 200s. */
export interface LoopResult {
  ok: number;
  /** Everything that was not a 200, by status or error code (`503`, `ECONNRESET`). */
  failed: Record<string, number>;
  bodies: Set<string>;
}

/**
 * `concurrency` clients, each sending GET `urlPath` in a loop over a keep-alive connection
 * (as a browser or a balancer does) until `stop()` resolves, to 127.0.0.1:`port` only;
 * over HTTPS when `ca` (the CA to verify against, as PEM) is given, asking for the name
 * `servername` (default `localhost`). Nothing is retried, so every request a server drops is
 * counted.
 */
export async function clientLoop(
  port: number,
  urlPath: string,
  opts: { concurrency: number; ca?: string; servername?: string; stop: Promise<unknown> },
): Promise<LoopResult> {
  const https = await import('node:https');
  const mod = opts.ca ? https : http;
  const agent = new mod.Agent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca, servername: opts.servername ?? 'localhost' } : {}) });
  const result: LoopResult = { ok: 0, failed: {}, bodies: new Set() };
  let done = false;
  void opts.stop.then(() => {
    done = true;
  });
  const one = () =>
    new Promise<void>((resolve) => {
      const req = mod.get({ host: '127.0.0.1', port, path: urlPath, agent, timeout: 20_000 }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => {
          if (res.statusCode === 200) {
            result.ok++;
            result.bodies.add(body);
          } else result.failed[String(res.statusCode)] = (result.failed[String(res.statusCode)] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        result.failed[e.code ?? e.message] = (result.failed[e.code ?? e.message] ?? 0) + 1;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (!done) await one();
    }),
  );
  agent.destroy();
  return result;
}
