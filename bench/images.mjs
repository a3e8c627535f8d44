/**
 * The benchmark's images, built on this machine from this checkout (Docker's layer cache
 * makes a second build cheap): whisk's from its examples and bench apps, the peers' on the
 * same base image. `npm run bench` builds whisk's own images (`npm run image`) first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE_IMAGE, PEER_PACKAGES, ROOT } from './contenders.mjs';
import { sh } from './measure.mjs';

const log = (...m) => console.error('bench:', ...m);
const build = (tag, context, extra = []) => sh('docker', ['build', '--network', 'host', '-q', '-t', tag, ...extra, context]);

/** The WSGI suite's: whisk's hello and Django examples with the bench files, and each peer (bench/peers). */
export function buildWsgiImages() {
  log('building images (cached after the first run)');
  build('whisk-example-hello:bench', path.join(ROOT, 'examples/hello'));
  build('whisk-example-django:bench', path.join(ROOT, 'examples/django'));
  build('whisk-bench-django:bench', path.join(ROOT, 'bench/whisk'));
  build('whisk-bench-hello:bench', path.join(ROOT, 'bench/whisk'), ['--build-arg', 'WHISK_APP=whisk-example-hello:bench']);
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-bench-'));
  const skip = (src) => !/(__pycache__|htdocs|db\.sqlite3)/.test(src);
  fs.cpSync(path.join(ROOT, 'examples/django'), path.join(ctx, 'django'), { recursive: true, filter: skip });
  fs.cpSync(path.join(ROOT, 'examples/hello'), path.join(ctx, 'hello'), { recursive: true, filter: skip });
  fs.cpSync(path.join(ROOT, 'bench/peers'), path.join(ctx, 'peers'), { recursive: true });
  for (const [name, packages] of Object.entries(PEER_PACKAGES)) {
    build(`bench-${name}:bench`, ctx, [
      '-f',
      path.join(ctx, 'peers/Dockerfile'),
      '--build-arg',
      `PACKAGES=${packages}`,
      '--build-arg',
      `BASE_IMAGE=${BASE_IMAGE}`,
    ]);
  }
  fs.rmSync(ctx, { recursive: true, force: true });
}

/** The ASGI suite's: the peers' one image (bench/asgi/peers) and whisk's two-line app (bench/asgi/app). */
export function buildAsgiImages() {
  log('building the ASGI images (cached after the first run)');
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-bench-asgi-'));
  fs.cpSync(path.join(ROOT, 'bench/asgi'), ctx, { recursive: true });
  build('bench-asgi-peers:bench', ctx, ['-f', path.join(ctx, 'peers/Dockerfile'), '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`]);
  fs.rmSync(ctx, { recursive: true, force: true });
  build('whisk-bench-asgi:bench', path.join(ROOT, 'bench/asgi/app'));
}
