/**
 * whisk's arm64 images, as `npm run image` builds them (scripts/image.sh, every platform of
 * image/platforms), run on this amd64 machine under Debian's qemu-user-static: each image
 * carries its true architecture, and the hello and Django examples built `FROM whisk:onbuild`
 * for linux/arm64 answer their pages and static files.
 *
 * Under emulation a build takes minutes, so only these run on arm64 (the newest Python's
 * images, both Pythons' built): the rest of the suite is the same code on amd64.
 */
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, contextFiles, docker, PYTHONS, removeAll, run, type Running } from '../helpers/docker.js';
import { request, ROOT, waitForHttp } from '../helpers/http.js';

const PLATFORM = 'linux/arm64';
const NEWEST = PYTHONS[0].python;
const tag = (example: string) => `whisk-example-${example}:test-arm64`;

beforeAll(async () => {
  const t0 = Date.now();
  const built = await execa('bash', [path.join(ROOT, 'scripts/image.sh')], { env: { WHISK_PLATFORMS: PLATFORM }, timeout: 3_600_000 });
  console.log(`arm64: scripts/image.sh in ${((Date.now() - t0) / 1000).toFixed(0)} s\n${built.stderr}`);
  for (const example of ['hello', 'django']) {
    const t1 = Date.now();
    const dir = path.join(ROOT, 'examples', example);
    await build(dir, contextFiles(dir), tag(example), 'Dockerfile', {}, { platform: PLATFORM, onbuild: `whisk:${NEWEST}-onbuild-arm64` });
    console.log(`arm64: examples/${example} built FROM whisk:onbuild in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  }
}, 3_600_000);
afterAll(removeAll);

/** Starts an arm64 container and waits (emulated Python starts slowly) until `/` answers. */
async function serving(image: string): Promise<Running> {
  const c = await run(image);
  await waitForHttp(c.port, '/', 180);
  return c;
}

describe('arm64 images (under qemu-user-static)', () => {
  it('each image says its true architecture, and its programs are aarch64 ones', async () => {
    for (const { python } of PYTHONS) {
      for (const image of [`whisk:${python}-arm64`, `whisk:${python}-onbuild-arm64`]) {
        const info = await docker.getImage(image).inspect();
        expect(`${info.Os}/${info.Architecture}`, image).toBe(PLATFORM);
        expect(info.Config.Labels?.['org.opencontainers.image.version']).toBeTruthy();
      }
      const amd64 = await docker
        .getImage(`whisk:${python}-amd64`)
        .inspect()
        .catch(() => undefined);
      if (amd64) expect(amd64.Architecture).toBe('amd64');
    }
    const uname = await execa('docker', ['run', '--rm', '--platform', PLATFORM, `whisk:${NEWEST}-arm64`, 'uname', '-m']);
    expect(uname.stdout.trim()).toBe('aarch64');
    expect((await docker.getImage(tag('django')).inspect()).Architecture).toBe('arm64');
  });

  it('serves the hello example', async () => {
    const c = await serving(tag('hello'));
    const r = await request(c.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('Hello');
    expect(r.headers.get('server')).toBe('Apache');
  });

  it('serves the Django example, its admin and its static files', async () => {
    const c = await serving(tag('django'));
    const home = await request(c.port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('users in the database');
    const css = await request(c.port, '/static/admin/css/base.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await request(c.port, '/admin/login/')).status).toBe(200);
    expect((await execa('docker', ['exec', c.container.id, 'uname', '-m'])).stdout.trim()).toBe('aarch64');
  });
});
