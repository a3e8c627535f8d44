import { describe, expect, it } from 'vitest';
import { cacheView, DEFAULT_CACHE_SIZE, maxEntrySize } from '../../../../entrypoint/plan/config/cache.js';
import { contextOf } from '../../../helpers/plan.js';

describe('--cache-responses', () => {
  it('is off by default', () => {
    expect(cacheView(contextOf([]))).toBeUndefined();
  });

  it('keeps responses in shmcb shared memory in the server root, --cache-size bytes (64 MiB by default)', () => {
    const view = cacheView(contextOf(['--cache-responses']))!;
    expect(view.socache).toMatch(new RegExp(`^shmcb:/.*/response-cache\\(${DEFAULT_CACHE_SIZE}\\)$`));
    expect(cacheView(contextOf(['--cache-responses', '--cache-size', '1048576']))!.socache).toMatch(/\(1048576\)$/);
    expect(view.lockPath).toMatch(/\/probe\/cache-lock$/);
  });

  it('keeps a response of up to 1/128 of the cache, at most 1 MiB', () => {
    expect(maxEntrySize(DEFAULT_CACHE_SIZE)).toBe(524288);
    expect(maxEntrySize(1048576)).toBe(8192);
    expect(maxEntrySize(1024 * 1048576)).toBe(1048576);
  });

  it("leaves static files, proxy mounts and whisk's own paths to be sent as they are", () => {
    const view = cacheView(
      contextOf(['--cache-responses', '--proxy-mount-point', '/api/', 'http://127.0.0.1:9000/'], {
        aliases: [{ url: '/static', path: '/app/static', isFile: false }],
      }),
    )!;
    expect(view.disabled).toEqual(['/.whisk', '/server-status', '/static', '/api/']);
  });
});
