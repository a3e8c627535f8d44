/**
 * `--cache-responses` → a shared response cache in Apache (mod_cache with
 * mod_cache_socache's shared memory; https://httpd.apache.org/docs/2.4/mod/mod_cache.html).
 * Pure.
 *
 * What the application marks fresh for shared caches (`Cache-Control: max-age`/`s-maxage`,
 * `Expires`) is stored and served by Apache without calling Python, per `Vary`, until it
 * goes stale; then mod_cache asks the application again with the stored validators. Never
 * stored: the answer to a request with `Authorization` (mod_cache's `no-cache` variable; such
 * a request may still be answered from an entry stored for anyone, RFC 9111 section 3.5), one
 * marked `private` or `no-store`, and one that sets a cookie (whisk's runtime adds `private`
 * to its Cache-Control: stock mod_cache stores it).
 *
 * The cache runs as the handler, not mod_cache's quick handler, with its filter first: it
 * stores the application's response as sent (with the Content-Length mod_cache_socache
 * needs; after compression there is none) and each answer from it still passes compression
 * and Apache's own headers.
 */
import type { PlanContext } from './context.js';

/** What httpd.conf needs for `--cache-responses`; absent without it. */
export interface CacheView {
  /** `CacheSocache`: `shmcb:FILE(BYTES)`, FILE in the server root. */
  socache: string;
  /**
   * `CacheSocacheMaxSize`, bytes: the largest response stored, 1/128 of `--cache-size` up
   * to 1 MiB (shmcb keeps an entry whole in one of its subcaches, 64 of them at 64 MiB).
   */
  maxEntrySize: number;
  /** `CacheLockPath`: while one request fetches a stale or missing entry, others are not sent too. */
  lockPath: string;
  /**
   * URL paths `CacheDisable` leaves alone: static files (sent from disk), whisk's own, and
   * `--proxy-mount-point` back ends (whose cookie-setting responses whisk's runtime does not see).
   */
  disabled: string[];
}

/** `--cache-size`'s default, bytes: 64 MiB. */
export const DEFAULT_CACHE_SIZE = 67108864;

/** The largest response stored, bytes ({@link CacheView.maxEntrySize}). */
export function maxEntrySize(cacheSize: number): number {
  return Math.min(1048576, Math.floor(cacheSize / 128));
}

/**
 * The response cache's settings, or undefined without `--cache-responses`.
 *
 * @param ctx `--cache-size` (bytes, default 64 MiB), the `--url-alias` and `--proxy-mount-point` mounts
 */
export function cacheView(ctx: PlanContext): CacheView | undefined {
  const { options, paths, app } = ctx;
  if (!options['cache-responses']) return undefined;
  const size = options['cache-size'] ?? DEFAULT_CACHE_SIZE;
  return {
    socache: `shmcb:${paths.responseCache}(${size})`,
    maxEntrySize: maxEntrySize(size),
    lockPath: paths.responseCacheLocks,
    disabled: [...new Set(['/.whisk', '/server-status', ...app.aliases.map((a) => a.url), ...options['proxy-mount-point'].map(([mount]) => mount)])],
  };
}
