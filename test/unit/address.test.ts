import { describe, expect, it } from 'vitest';
import { hostPort, localBaseUrl, unbracketHost } from '../../entrypoint/address.js';

describe('host addresses', () => {
  it('brackets an IPv6 address in HOST:PORT and URLs (RFC 3986), and only then', () => {
    expect(unbracketHost('[::1]')).toBe('::1');
    expect(unbracketHost('::1')).toBe('::1');
    expect(hostPort('::1', 8000)).toBe('[::1]:8000');
    expect(hostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(hostPort('web', 80)).toBe('web:80');
  });

  it('reaches a server on every address at 127.0.0.1, else at the address it listens on', () => {
    expect(localBaseUrl(undefined, 80)).toBe('http://127.0.0.1:80');
    expect(localBaseUrl('0.0.0.0', 80)).toBe('http://127.0.0.1:80');
    expect(localBaseUrl('::', 80)).toBe('http://127.0.0.1:80');
    expect(localBaseUrl('::1', 8000)).toBe('http://[::1]:8000');
  });
});
