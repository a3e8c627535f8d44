/**
 * Precompressed static files, as WhiteNoise writes them at `collectstatic`: `NAME.br`
 * (Debian's `brotli`, quality 11) and `NAME.gz` (`gzip -9`) beside each compressible file of
 * the application, so Apache sends the smallest variant a client accepts without
 * compressing on every request (the precompressed rules of httpd.conf). Run by
 * `whisk build application`, as root, at `docker build` time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMPRESSIBLE } from '../plan/compressible.js';
import { runStep } from './steps.js';

/** Smaller files are left alone: compression would save little and cost a file each. */
export const MIN_BYTES = 256;
/** A variant is kept only if it is at most this fraction of the original (WhiteNoise's rule). */
const MAX_RATIO = 0.95;

/** Directories never walked: hidden ones (never served), bytecode, JavaScript dependencies. */
function skipDirectory(name: string): boolean {
  return name.startsWith('.') || name === '__pycache__' || name === 'node_modules';
}

/**
 * The files under `root` to compress: regular files (not symlinks) with a
 * {@link COMPRESSIBLE} extension, of {@link MIN_BYTES} or more, whose `.br` variant is
 * missing or older than the file.
 *
 * @param root directory to walk (the application, /app in the image)
 * @returns absolute paths, sorted
 */
export function filesToCompress(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirectory(entry.name)) walk(p);
        continue;
      }
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const ext = path.extname(entry.name).slice(1).toLowerCase();
      if (!(COMPRESSIBLE as readonly string[]).includes(ext)) continue;
      const st = fs.statSync(p);
      if (st.size < MIN_BYTES) continue;
      const variant = fs.statSync(`${p}.br`, { throwIfNoEntry: false });
      if (variant && variant.mtimeMs >= st.mtimeMs) continue;
      found.push(p);
    }
  };
  walk(root);
  return found.sort();
}

/** Runs `command ...args -- FILES` over `files`, a batch at a time (argv stays short). */
async function eachBatch(command: string, args: string[], files: string[], cwd: string): Promise<void> {
  for (let i = 0; i < files.length; i += 200) {
    await runStep(`whisk build: step "precompress" (${command})`, command, [...args, '--', ...files.slice(i, i + 200)], cwd);
  }
}

/**
 * Writes `FILE.br` and `FILE.gz` beside every file {@link filesToCompress} finds, keeping
 * the file's modification time (so `Last-Modified` matches), then removes any variant not
 * at most {@link MAX_RATIO} of the original.
 *
 * @returns how many files were compressed, and the bytes of originals and kept variants
 * @throws {StepError} `brotli` or `gzip` failed (named in the message)
 */
export async function precompress(root: string): Promise<{ files: number; bytes: number; brotliBytes: number; gzipBytes: number }> {
  const files = filesToCompress(root);
  // -k: keep the original; -f: replace a stale variant; -n: no name or time in the gzip header.
  await eachBatch('brotli', ['-k', '-f', '-q', '11'], files, root);
  await eachBatch('gzip', ['-k', '-f', '-n', '-9'], files, root);
  const totals = { files: files.length, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const f of files) {
    const size = fs.statSync(f).size;
    totals.bytes += size;
    for (const [suffix, key] of [['.br', 'brotliBytes'], ['.gz', 'gzipBytes']] as const) {
      const variant = f + suffix;
      const vsize = fs.statSync(variant).size;
      if (vsize > size * MAX_RATIO) fs.rmSync(variant);
      else totals[key] += vsize;
    }
  }
  return totals;
}
