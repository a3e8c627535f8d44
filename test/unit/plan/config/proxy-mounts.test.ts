import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proxyMounts, redirectTarget, regexLiteral } from '../../../../entrypoint/plan/config/proxy-mounts.js';
import { isProxyUrl } from '../../../../entrypoint/options/values.js';
import { cmd, usageFailure } from '../../../helpers/options.js';

const mounts = (...args: string[]) => proxyMounts(cmd(args.flatMap((a, i) => (i % 2 === 0 ? ['--proxy-mount-point', a] : [a]))).options);

describe('--proxy-mount-point', () => {
  it('mounts a path without a trailing / as PATH/ and redirects the bare path there, as mod_wsgi-express does', () => {
    expect(mounts('/ws', 'http://127.0.0.1:8765')).toEqual([
      {
        path: '/ws/',
        url: 'http://127.0.0.1:8765/',
        reverseUrl: 'http://127.0.0.1:8765/',
        prefix: '/ws',
        redirectMatch: '^\\/ws$',
        redirectTo: '/ws/',
      },
    ]);
  });

  it('keeps a path with a trailing / and its URL as given, and gives ProxyPassReverse the http part of a unix socket URL', () => {
    expect(mounts('/ws/', 'unix:/tmp/chat.sock|http://localhost/ws/')).toEqual([
      {
        path: '/ws/',
        url: 'unix:/tmp/chat.sock|http://localhost/ws/',
        reverseUrl: 'http://localhost/ws/',
        prefix: '/ws',
        redirectMatch: undefined,
        redirectTo: undefined,
      },
    ]);
  });

  it('orders the mounts longest first, since mod_proxy takes the first ProxyPass that matches', () => {
    expect(mounts('/api', 'http://a:1', '/api/v2', 'http://b:2', '/', 'http://c:3').map((m) => m.path)).toEqual(['/api/v2/', '/api/', '/']);
  });

  it('refuses the wildcards of <Location>, and a path given twice', () => {
    expect(usageFailure(() => mounts('/a*', 'http://a:1'))).toMatch(/^--proxy-mount-point \/a\*: contains "\*"/);
    expect(usageFailure(() => mounts('/a', 'http://a:1', '/a/', 'http://b:1'))).toMatch(/given twice/);
  });

  it('takes the back ends mod_proxy_http reaches without TLS, and nothing else', () => {
    for (const ok of [
      'http://127.0.0.1:8765/',
      'http://backend',
      'http://[::1]:8080/x?y=1',
      'http://tasks.web:80/',
      'unix:/tmp/s.sock|http://localhost/',
      'unix:/run/a b|http://x/',
    ]) {
      expect(isProxyUrl(ok), ok).toBe(true);
    }
    for (const bad of [
      'https://example.com/',
      'ws://a/',
      'ftp://a/',
      'http://',
      'http://a b/',
      'http://a:99999/',
      'unix:tmp.sock|http://x/',
      'unix:/a|b|http://x/',
      'unix:/a',
      'http://a|b/',
      '/local/path',
      'http://[zz]/',
    ]) {
      expect(isProxyUrl(bad), bad).toBe(false);
    }
    expect(usageFailure(() => cmd(['--proxy-mount-point', '/x', 'https://a/']))).toMatch(
      /^--proxy-mount-point.*"https:\/\/a\/" is not allowed; allowed: http:\/\//,
    );
  });

  it('writes any URL path as a regular expression that matches exactly that path', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), (text) => {
        const re = new RegExp(`^${regexLiteral(text)}$`);
        expect(re.test(text)).toBe(true);
        expect(re.test(`${text}x`)).toBe(false);
      }),
    );
  });

  it("percent-encodes the redirect target and escapes RedirectMatch's $, & and \\", () => {
    expect(redirectTarget('/médias/')).toBe('/m%C3%A9dias/');
    expect(redirectTarget('/a$1&b/')).toBe('/a\\$1\\&b/');
  });
});
