/**
 * Precompressed static files, as WhiteNoise writes them at `collectstatic`: `NAME.br`
 * (brotli, quality 11) and `NAME.gz` (gzip, level 9, no name or time in its header), by
 * Node's zlib (the same brotli and zlib libraries as Debian's tools), beside each compressible file of
 * the application, so Apache sends the smallest variant a client accepts without
 * compressing on every request (the precompressed rules of httpd.conf). Run by
 * `whisk build application`, as root, at `docker build` time.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { StepError } from '../errors.js';
import { COMPRESSIBLE } from '../plan/compressible.js';

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
      // lstat: a variant that is a symlink is never taken as done (and is replaced below).
      const variant = fs.lstatSync(`${p}.br`, { throwIfNoEntry: false });
      if (variant?.isFile() && variant.mtimeMs >= st.mtimeMs) continue;
      found.push(p);
    }
  };
  walk(root);
  return found.sort();
}

/** The two variants: suffix, compressor and the total their bytes count in. */
const VARIANTS = [
  [
    '.br',
    (b: Buffer) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
    'brotliBytes',
  ],
  ['.gz', (b: Buffer) => zlib.gzipSync(b, { level: 9 }), 'gzipBytes'],
] as const;

/**
 * Writes `data` as `target` without ever following a link: into a new file beside it
 * (`O_CREAT | O_EXCL`, mode 644), given the source's modification time to the nanosecond
 * (coreutils' `touch -r`: Node's own takes milliseconds), renamed over `target` (a symlink
 * there is replaced, its target untouched).
 */
function replaceFile(target: string, data: Buffer, source: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  try {
    fs.writeSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
  execFileSync('/usr/bin/touch', ['-r', source, '--', tmp]);
  fs.renameSync(tmp, target);
}

/**
 * Writes `FILE.br` and `FILE.gz` beside every file {@link filesToCompress} finds, keeping
 * the file's modification time (so `Last-Modified` matches), then removes any variant not
 * at most {@link MAX_RATIO} of the original.
 *
 * @returns how many files were compressed, and the bytes of originals and kept variants
 * @throws {StepError} a variant could not be written (named in the message)
 */
export async function precompress(root: string): Promise<{ files: number; bytes: number; brotliBytes: number; gzipBytes: number }> {
  const files = filesToCompress(root);
  const totals = { files: files.length, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const f of files) {
    const data = fs.readFileSync(f);
    totals.bytes += data.length;
    for (const [suffix, compress, total] of VARIANTS) {
      const variant = f + suffix;
      const out = compress(data);
      const keep = out.length <= data.length * MAX_RATIO;
      try {
        if (keep) replaceFile(variant, out, f);
        else fs.rmSync(variant, { force: true });
      } catch (error) {
        throw new StepError(`whisk build: step "precompress": cannot write ${variant} (${(error as Error).message})`);
      }
      if (keep) totals[total] += out.length;
    }
  }
  return totals;
}
