import { describe, expect, it } from 'vitest';
import { isCidr, proxyHeaderName } from '../../../entrypoint/options/proxy-headers.js';

describe('isCidr', () => {
  it.each(['10.0.0.0/8', '127.0.0.2', '0.0.0.0/0', '::/0', 'fd00::/8', '::1', '2001:db8::1/128'])('accepts %s', (v) => {
    expect(isCidr(v)).toBe(true);
  });
  it.each(['10.0.0.0/33', '::/129', '10.0.0', 'lb.internal', '10.0.0.0/8/8', '*', '10.0.0.0/', '', ' 10.0.0.1'])('refuses %j', (v) => {
    expect(isCidr(v)).toBe(false);
  });
});

describe('proxyHeaderName', () => {
  it('takes any case and gives the usual spelling; unknown headers are undefined', () => {
    expect(proxyHeaderName('x-forwarded-proto')).toBe('X-Forwarded-Proto');
    expect(proxyHeaderName('X-REAL-IP')).toBe('X-Real-IP');
    expect(proxyHeaderName('Forwarded')).toBeUndefined();
  });
});
