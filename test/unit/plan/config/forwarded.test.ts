import { describe, expect, it } from 'vitest';
import { forwardedView, underscoreSpellings } from '../../../../entrypoint/plan/config/forwarded.js';
import { PROXY_HEADERS } from '../../../../entrypoint/options/proxy-headers.js';

describe('forwarding headers removed from every request', () => {
  it('lists every "_" spelling of a header, never the header itself', () => {
    expect(underscoreSpellings('X-Request-ID').sort()).toEqual(['X-Request_ID', 'X_Request-ID', 'X_Request_ID']);
    expect(underscoreSpellings('X-Forwarded-Script-Name')).toHaveLength(7);
    expect(underscoreSpellings('Host')).toEqual([]);
  });

  it('covers every header whisk trusts or sets', () => {
    const spellings = forwardedView([]).underscoreSpellings;
    for (const h of [...Object.keys(PROXY_HEADERS), 'X-Whisk-Health-Token']) expect(spellings).toContain(h.replaceAll('-', '_'));
    expect(spellings.some((s) => !s.includes('_'))).toBe(false);
  });

  it("removes a client's host, server and port headers unless --trust-proxy-header trusts their kind", () => {
    expect(forwardedView([]).untrusted).toEqual(['X-Forwarded-Host', 'X-Host', 'X-Forwarded-Server', 'X-Forwarded-Port']);
    expect(forwardedView(['X-Host', 'X-Forwarded-Port']).untrusted).toEqual(['X-Forwarded-Server']);
    expect(forwardedView(['X-Forwarded-For', 'X-Forwarded-Proto']).untrusted).toHaveLength(4);
  });
});
