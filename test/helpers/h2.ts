/**
 * HTTP/2 clients for the tests, from Node's own node:http2 (h2c by prior knowledge, to
 * 127.0.0.1 only): a request whose answer is read even when the server resets the stream
 * after it (RFC 9113 section 8.1: curl 7.88 reports the reset instead), and a WebSocket over
 * HTTP/2 (RFC 8441's extended CONNECT) with the little framing the tests need.
 */
import crypto from 'node:crypto';
import http2 from 'node:http2';

/** The HTTP/2 connection to 127.0.0.1:PORT, once the server's SETTINGS have come. */
async function connect(port: number): Promise<{ session: http2.ClientHttp2Session; settings: http2.Settings }> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  const settings = await new Promise<http2.Settings>((resolve, reject) => {
    session.once('remoteSettings', resolve);
    session.once('error', reject);
  });
  return { session, settings };
}

/**
 * POSTs `body` (with its Content-Length) to PATH over h2c.
 *
 * @returns the response's status, as soon as its headers come (the rest of the body may be refused)
 */
export async function h2Post(port: number, urlPath: string, body: Buffer): Promise<number> {
  const { session } = await connect(port);
  try {
    const stream = session.request({ ':method': 'POST', ':path': urlPath, 'content-length': String(body.length) });
    const status = new Promise<number>((resolve, reject) => {
      stream.once('response', (headers) => resolve(Number(headers[':status'])));
      stream.once('close', () => reject(new Error(`stream closed without a response (code ${stream.rstCode})`)));
    });
    stream.on('error', () => {});
    stream.end(body);
    return await status;
  } finally {
    session.destroy();
  }
}

/** One WebSocket frame from the server: its opcode and payload. */
export interface Frame {
  opcode: number;
  payload: Buffer;
}

/** A WebSocket over HTTP/2: send frames, read the server's. */
export interface H2WebSocket {
  /** Whether the server offered RFC 8441 (SETTINGS_ENABLE_CONNECT_PROTOCOL) and the `:status` of the CONNECT. */
  offered: boolean;
  status: number;
  /** Sends a masked frame (payload under 126 bytes). */
  send(opcode: number, payload: Buffer): void;
  /**
   * The server's next frame, waiting at most `seconds`.
   * @throws Error when the stream ends first ("the stream ended") or none comes in time
   */
  next(seconds?: number): Promise<Frame>;
  close(): void;
}

/**
 * Opens ws://127.0.0.1:PORT/PATH over HTTP/2 (`CONNECT` with `:protocol: websocket`).
 *
 * @throws Error when the server does not answer the CONNECT
 */
export async function h2WebSocket(port: number, urlPath: string): Promise<H2WebSocket> {
  const { session, settings } = await connect(port);
  const stream = session.request({
    ':method': 'CONNECT',
    ':protocol': 'websocket',
    ':scheme': 'http',
    ':path': urlPath,
    ':authority': `127.0.0.1:${port}`,
    'sec-websocket-version': '13',
  });
  stream.on('error', () => {});
  let buffered = Buffer.alloc(0);
  const waiting: (() => void)[] = [];
  stream.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    for (const w of waiting.splice(0)) w();
  });
  const status = await new Promise<number>((resolve, reject) => {
    stream.once('response', (headers) => resolve(Number(headers[':status'])));
    stream.once('close', () => reject(new Error(`CONNECT closed without a response (code ${stream.rstCode})`)));
  });
  /** A whole frame at the start of what came, or undefined (server frames are not masked). */
  const take = (): Frame | undefined => {
    if (buffered.length < 2) return undefined;
    let length = buffered[1] & 0x7f;
    let at = 2;
    if (length === 126) [length, at] = [buffered.readUInt16BE(2), 4];
    else if (length === 127) [length, at] = [Number(buffered.readBigUInt64BE(2)), 10];
    if (buffered.length < at + length) return undefined;
    const frame = { opcode: buffered[0] & 0x0f, payload: buffered.subarray(at, at + length) };
    buffered = buffered.subarray(at + length);
    return frame;
  };
  return {
    offered: settings.enableConnectProtocol === true,
    status,
    send(opcode, payload) {
      const mask = crypto.randomBytes(4);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      stream.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]));
    },
    async next(seconds = 10) {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const frame = take();
        if (frame) return frame;
        if (stream.closed) throw new Error('no frame from the server: the stream ended');
        if (Date.now() > deadline) throw new Error(`no frame from the server within ${seconds} s`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close() {
      session.destroy();
    },
  };
}
