import { describe, expect, it } from 'vitest';
import { apacheNetworks, proxyView } from '../../../../entrypoint/plan/config/proxy.js';

describe('proxyView', () => {
  it('is undefined with no trusted header (--trust-proxy alone changes nothing)', () => {
    expect(proxyView([], ['10.0.0.0/8'])).toBeUndefined();
  });

  it('refuses two client-address headers (mod_remoteip reads one)', () => {
    expect(() => proxyView(['X-Forwarded-For', 'X-Real-IP'], ['10.0.0.0/8'])).toThrow(/X-Forwarded-For and X-Real-IP both name the client's address/);
  });

  it('gives the client header to mod_remoteip, the rest to mod_wsgi, and removes every synonym from untrusted peers', () => {
    const v = proxyView(['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Prefix', 'X-Request-ID'], ['10.0.0.0/8', 'fd00::/8'])!;
    expect(v.clientHeader).toBe('X-Forwarded-For');
    expect(v.trustedPeer).toBe("%{CONN_REMOTE_ADDR} -ipmatch '10.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch 'fd00::/8'");
    expect(v.wsgiHeaders).toEqual(['X-Forwarded-Proto', 'X-Script-Name']);
    expect(v.unsetAlways).toEqual(['X-Real-IP', 'X-Client-IP', 'X-Script-Name']);
    expect(v.unsetUntrusted).toEqual([
      'X-Forwarded-For',
      'X-Forwarded-Proto',
      'X-Forwarded-Scheme',
      'X-Scheme',
      'X-Forwarded-HTTPS',
      'X-Forwarded-SSL',
      'X-HTTPS',
      'X-Forwarded-Script-Name',
      'X-Forwarded-Prefix',
      'X-Request-ID',
    ]);
    expect(v.forwardedPrefix).toBe(true);
    expect(v.requestId).toBe(true);
  });

  it('without a client header loads no mod_remoteip', () => {
    const v = proxyView(['X-Forwarded-Proto'], ['10.0.0.1'])!;
    expect(v.clientHeader).toBeUndefined();
    expect(v.unsetAlways).toEqual([]);
    expect(v.requestId).toBe(false);
  });
});

describe('apacheNetworks', () => {
  it('writes a /0 (which APR refuses) as its two halves, and leaves the rest', () => {
    expect(apacheNetworks('0.0.0.0/0')).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
    expect(apacheNetworks('::/0')).toEqual(['::/1', '8000::/1']);
    expect(apacheNetworks('10.0.0.0/8')).toEqual(['10.0.0.0/8']);
    expect(proxyView(['X-Forwarded-Proto'], ['0.0.0.0/0'])!.trustedPeer).toBe(
      "%{CONN_REMOTE_ADDR} -ipmatch '0.0.0.0/1' || %{CONN_REMOTE_ADDR} -ipmatch '128.0.0.0/1'",
    );
  });
});
