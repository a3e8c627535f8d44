import { describe, expect, it } from 'vitest';
import { earlyHints, http2View, tlsProtocols } from '../../../../entrypoint/plan/config/http2.js';
import { usageFailure } from '../../../helpers/options.js';
import { contextOf } from '../../../helpers/plan.js';
import { mpmSettings } from '../../../../entrypoint/plan/sizing.js';

const MPM = mpmSettings(100);

describe('--http2', () => {
  it("buffers bodies for mod_wsgi's daemon mode only", () => {
    expect(http2View(contextOf(['--http2']), MPM)?.bufferBodies).toBe(true);
    expect(http2View(contextOf(['--http2', '--embedded-mode']), MPM)?.bufferBodies).toBe(false);
    expect(http2View(contextOf(['--http2'], { type: 'asgi' }), MPM)?.bufferBodies).toBe(false);
    expect(http2View(contextOf([]), MPM)).toBeUndefined();
  });

  it('gives each child as many mod_http2 workers as it has threads, all started', () => {
    expect(http2View(contextOf(['--http2']), MPM)?.workers).toBe(50);
    expect(http2View(contextOf(['--http2']), mpmSettings(30))?.workers).toBe(30);
  });

  it('puts h2 first in the HTTPS virtual host, and acme-tls/1 last for tls-alpn-01', () => {
    expect(tlsProtocols(true, false)).toEqual(['h2', 'http/1.1']);
    expect(tlsProtocols(true, true)).toEqual(['h2', 'http/1.1', 'acme-tls/1']);
    expect(tlsProtocols(false, true)).toEqual(['http/1.1', 'acme-tls/1']);
    expect(tlsProtocols(false, false)).toBeUndefined();
  });
});

describe('--early-hint', () => {
  it('gives each path its Link value, the shortest path first', () => {
    expect(
      earlyHints([
        ['/shop', '</shop.js>; rel=preload; as=script'],
        ['/', '</a.css>; rel=preload; as=style, </b.js>; rel=modulepreload'],
      ]),
    ).toEqual([
      { path: '/', link: '</a.css>; rel=preload; as=style, </b.js>; rel=modulepreload' },
      { path: '/shop', link: '</shop.js>; rel=preload; as=script' },
    ]);
  });

  it('refuses a path <Location> would read as a wildcard', () => {
    expect(usageFailure(() => earlyHints([['/a*', '</a.css>; rel=preload']]))).toMatch(
      /^--early-hint \/a\*: "\/a\*" contains "\*", a wildcard in Apache's <Location>/,
    );
  });
});
