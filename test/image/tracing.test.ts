/**
 * Following a request from the balancer into the application, in real containers on each
 * Python: the trace context a trusted proxy sent reaches the application and the access log,
 * one from anyone else is replaced, and the spans whisk exports over OTLP/HTTP (to a receiver
 * of the test's own, in a container on the same network: Debian has no collector) carry the
 * trace, whisk's span (the application's parent) and the caller's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, docker, removeAllOnNetwork, RUNTIME_IMAGE, serving } from '../helpers/docker.js';
import { fixture, tempTree } from '../helpers/files.js';
import { freePort, rawGet, request, waitForHttp } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

const NETWORK = `whisk-tracing-${process.pid}`;
const RECEIVER = `otlp-${process.pid}`;
let receiverPort: number;

beforeAll(async () => {
  await buildImages();
  await docker.createNetwork({ Name: NETWORK });
  receiverPort = await freePort();
  const dir = tempTree('otlp-receiver', { 'otlp-receiver.py': fixture('otlp-receiver.py') });
  const c = await docker.createContainer({
    name: RECEIVER,
    Image: RUNTIME_IMAGE,
    Entrypoint: ['/usr/bin/python3', '/receiver/otlp-receiver.py', '4318'],
    ExposedPorts: { '4318/tcp': {} },
    HostConfig: {
      NetworkMode: NETWORK,
      Binds: [`${dir}:/receiver:ro`],
      PortBindings: { '4318/tcp': [{ HostIp: '127.0.0.1', HostPort: String(receiverPort) }] },
    },
    NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: ['collector'] } } },
  });
  await c.start();
  await waitForHttp(receiverPort, '/received', 30);
}, 300_000);

afterAll(() => removeAllOnNetwork(NETWORK, RECEIVER));

interface Received {
  contentType: string;
  body: Buffer;
}

/** What the receiver has had POSTed to /v1/traces, waiting (10 s at most) for one that holds `needle`. */
async function received(needle: Buffer): Promise<Received[]> {
  for (let i = 0; i < 100; i++) {
    const all = (JSON.parse((await request(receiverPort, '/received')).body) as { path: string; contentType: string; body: string }[])
      .filter((r) => r.path === '/v1/traces')
      .map((r) => ({ contentType: r.contentType, body: Buffer.from(r.body, 'base64') }));
    if (all.some((r) => r.body.includes(needle))) return all;
    await sleep(100);
  }
  throw new Error(`no span with ${needle.toString('hex')} received`);
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, string> }[];
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const OTEL = ['OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318', 'OTEL_BSP_SCHEDULE_DELAY=200', 'OTEL_SERVICE_NAME=shop'];

describe('trace context and OpenTelemetry export', () => {
  it("continues a trusted proxy's trace (Flask): the view and the access log see it, and the spans over OTLP/HTTP JSON carry it with whisk's span and the caller's", async () => {
    const image = await buildApp('traced-flask', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--trust-proxy", "172.16.0.0/12", "--access-log-format", "json", "--application-type", "module", "app:app"]\n',
      'apt-packages.txt': 'python3-flask\n',
      'app.py': fixture('traced-flask.py'),
    });
    // Through the published port the peer is the bridge's gateway, in 172.16.0.0/12: the trusted proxy.
    const c = await serving(image, { env: [...OTEL, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/json'], host: { NetworkMode: NETWORK } });
    const r = await rawGet(c.port, '/', { traceparent: `00-${TRACE}-${CALLER}-01` });
    const [, trace, span] = TRACEPARENT.exec(String(r.headers.traceresponse)) ?? [];
    expect(trace).toBe(TRACE);
    expect(JSON.parse(r.body.toString()).traceparent).toBe(`00-${TRACE}-${span}-01`);
    const spans = (await received(Buffer.from(TRACE)))
      .filter((p) => p.contentType === 'application/json')
      .flatMap((p) => JSON.parse(p.body.toString()).resourceSpans)
      .filter((rs) =>
        rs.resource.attributes.some((a: { key: string; value: { stringValue: string } }) => a.key === 'service.name' && a.value.stringValue === 'shop'),
      )
      .flatMap((rs) => rs.scopeSpans.flatMap((ss: { spans: JsonSpan[] }) => ss.spans))
      .filter((s: JsonSpan) => s.traceId === TRACE) as JsonSpan[];
    const server = spans.find((s) => s.kind === 2);
    const queue = spans.find((s) => s.name === 'queue');
    expect(server).toMatchObject({ spanId: span, parentSpanId: CALLER, name: 'GET' });
    expect(server?.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: '200' } });
    expect(server?.attributes).toContainEqual({ key: 'url.path', value: { stringValue: '/' } });
    expect(queue).toMatchObject({ parentSpanId: span, kind: 1 });
    expect(BigInt(queue?.startTimeUnixNano ?? 0)).toBe(BigInt(server?.startTimeUnixNano ?? 1));
    expect(BigInt(queue?.endTimeUnixNano ?? 0)).toBeLessThanOrEqual(BigInt(server?.endTimeUnixNano ?? 0));
    const logged = (await c.logs())
      .split('\n')
      .filter((l) => l.startsWith('{"time"'))
      .map((l) => JSON.parse(l))
      .find((l) => l.path === '/' && l.trace_id === TRACE);
    expect(logged?.span_id).toBe(span);
  });

  it('starts a new trace for a client it does not trust (Starlette), and exports its spans over OTLP/HTTP protobuf, the default', async () => {
    const image = await buildApp('traced-starlette', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--application-type", "asgi", "app:app"]\n',
      'apt-packages.txt': 'python3-starlette\n',
      'app.py': fixture('traced-starlette.py'),
    });
    const c = await serving(image, { env: OTEL, host: { NetworkMode: NETWORK } });
    let r = await rawGet(c.port, '/', { traceparent: `00-${TRACE}-${CALLER}-01`, tracestate: 'vendor=x' });
    for (let i = 0; i < 50 && r.status !== 200; i++) {
      await sleep(200); // the ASGI processes may still be starting
      r = await rawGet(c.port, '/', { traceparent: `00-${TRACE}-${CALLER}-01`, tracestate: 'vendor=x' });
    }
    const [, trace, span] = TRACEPARENT.exec(String(r.headers.traceresponse)) ?? [];
    expect(trace).toMatch(/^[0-9a-f]{32}$/);
    expect(trace).not.toBe(TRACE);
    const seen = JSON.parse(r.body.toString());
    expect(seen).toMatchObject({ traceparent: `00-${trace}-${span}-01`, tracestate: null });
    const posts = (await received(Buffer.from(trace, 'hex'))).filter((p) => p.body.includes(Buffer.from(trace, 'hex')));
    expect(posts[0].contentType).toBe('application/x-protobuf');
    expect(posts[0].body.includes(Buffer.from(span, 'hex'))).toBe(true);
    expect(posts[0].body.includes(Buffer.from(CALLER, 'hex'))).toBe(false); // no parent: the client's was not taken
    expect(posts[0].body.includes(Buffer.from('shop'))).toBe(true);
  });
});
