/**
 * Which static files have compressed variants: shared by the config (httpd.conf's
 * precompressed rules, pure) and by `whisk build` (precompress.ts, which writes the variants),
 * so the config does not pull in the build step's process running.
 */

/**
 * File extensions (lower case, no dot) whose files are compressed, and for which httpd.conf
 * serves a `.br`/`.gz` variant: text formats only; images, fonts and archives are already
 * compressed.
 */
export const COMPRESSIBLE = ['css', 'js', 'mjs', 'json', 'map', 'svg', 'html', 'htm', 'txt', 'xml', 'csv', 'wasm'] as const;
