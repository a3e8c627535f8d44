/**
 * `npm run release` into Debian's docker-registry (distribution 2.8) listening on 127.0.0.1:
 * every tag of image/pythons, and latest and onbuild, is one multi-architecture manifest list;
 * pulling a tag for a platform gives that platform's image, with the OCI labels; beside the
 * release, each image's CycloneDX SBOM lists its Debian packages (for its architecture) and
 * the npm packages bundled into the entrypoint, and passes the CycloneDX 1.6 schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, PYTHONS } from '../helpers/docker.js';
import { tempTree } from '../helpers/files.js';
import { freePort, ROOT, waitForHttp } from '../helpers/http.js';

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const TAGS = [...PYTHONS.flatMap(({ python }) => [python, `${python}-onbuild`]), 'latest', 'onbuild'];
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let registry = '';
let server: ResultPromise | undefined;
let out = '';

beforeAll(async () => {
  const port = await freePort();
  registry = `127.0.0.1:${port}`;
  const dir = tempTree('registry', {
    'config.yml': `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${path.join('/tmp', `whisk-registry-${process.pid}`)}\nhttp:\n  addr: ${registry}\n`,
  });
  server = execa('docker-registry', ['serve', path.join(dir, 'config.yml')], { reject: false });
  await waitForHttp(port, '/v2/', 30);
  out = path.join(dir, 'release');
  const t0 = Date.now();
  const release = await execa('npm', ['run', 'release'], {
    cwd: ROOT,
    env: { WHISK_REGISTRY: registry, WHISK_REGISTRY_INSECURE: '1', WHISK_RELEASE_DIR: out },
    timeout: 3_600_000,
  });
  console.log(`release: npm run release in ${((Date.now() - t0) / 1000).toFixed(0)} s\n${release.stderr}`);
}, 3_600_000);
afterAll(async () => {
  server?.kill();
  fs.rmSync(path.join('/tmp', `whisk-registry-${process.pid}`), { recursive: true, force: true });
});

/** The registry's manifest for `tag`, as the Docker client asks for it. */
async function manifest(tag: string): Promise<{ mediaType: string; manifests: { platform: { os: string; architecture: string } }[] }> {
  const res = await fetch(`http://${registry}/v2/whisk/manifests/${tag}`, {
    headers: { Accept: 'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json' },
  });
  expect(res.status, tag).toBe(200);
  return res.json() as never;
}

describe('npm run release', () => {
  it.each(TAGS)('pushes whisk:%s as one manifest list for amd64 and arm64', async (tag) => {
    const m = await manifest(tag);
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(m.manifests.map((x) => `${x.platform.os}/${x.platform.architecture}`).sort()).toEqual(PLATFORMS);
  });

  it.each(PLATFORMS)("a pull of whisk:onbuild for %s gives that platform's image, with its OCI labels", async (platform) => {
    const image = `${registry}/whisk:onbuild`;
    await execa('docker', ['pull', '-q', '--platform', platform, image]);
    const info = await docker.getImage(image).inspect();
    expect(`${info.Os}/${info.Architecture}`).toBe(platform);
    const labels = info.Config.Labels ?? {};
    expect(labels['org.opencontainers.image.version']).toBe(pkg.version);
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
    expect(labels['org.opencontainers.image.revision']).toBe((await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim());
    expect(labels['org.opencontainers.image.base.name']).toBe(`whisk:${PYTHONS[0].python}-${platform.replace('linux/', '')}`);
    const origin = await execa('git', ['remote', 'get-url', 'origin'], { cwd: ROOT, reject: false });
    // The origin as a public URL, without credentials; none for a local path (the cases:
    // test/host/image-labels.test.ts).
    const remote = origin.exitCode === 0 ? origin.stdout.trim() : '';
    const source = labels['org.opencontainers.image.source'];
    if ((/^[a-z+]+:\/\/[^/]/.test(remote) && !remote.startsWith('file:')) || /^[^@/:]+@[^:/]+:/.test(remote))
      expect(source).toMatch(/^https?:\/\/[^@\s/]+\/\S*$/);
    else expect(source).toBeUndefined();
    // The runtime under it names its Debian base.
    const runtime = await docker.getImage(`whisk:${PYTHONS[0].python}-${platform.replace('linux/', '')}`).inspect();
    expect(runtime.Config.Labels?.['org.opencontainers.image.base.name']).toMatch(/debian:\w+-slim$/);
    await docker
      .getImage(image)
      .remove()
      .catch(() => undefined);
  });

  it("writes each image's CycloneDX SBOM: its Debian packages for its architecture and the entrypoint's npm packages", async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    const names = fs.readdirSync(out).sort();
    const expected = PYTHONS.flatMap(({ python }) => [python, `${python}-onbuild`])
      .flatMap((tag) => PLATFORMS.map((p) => `whisk-${tag}-${p.replace('linux/', '')}.cdx.json`))
      .sort();
    expect(names).toEqual(expected);
    for (const name of names) {
      const text = fs.readFileSync(path.join(out, name), 'utf8');
      expect(await validator.validate(text), name).toBeNull();
      const bom = JSON.parse(text);
      const arch = /-(amd64|arm64)\.cdx\.json$/.exec(name)![1];
      const python = /^whisk-([\d.]+)/.exec(name)![1];
      const debs = bom.components.filter((c: { purl?: string }) => c.purl?.startsWith('pkg:deb/debian/'));
      for (const needed of ['apache2-bin', 'libapache2-mod-wsgi-py3', `python${python}`, 'nodejs', 'dumb-init']) {
        const found = debs.find((c: { name: string }) => c.name === needed);
        expect(found?.purl, `${name}: ${needed}`).toMatch(new RegExp(`arch=${arch}\\b`));
      }
      const bundle = bom.components.find((c: { name: string }) => c.name === 'whisk-entrypoint');
      const npm = bundle.components.map((c: { name: string }) => c.name);
      expect(npm).toEqual(expect.arrayContaining(['execa', 'mustache', 'minimist', 'fastest-levenshtein']));
      expect(npm).not.toContain('vitest');
      expect(bom.metadata.component.properties).toContainEqual({ name: 'oci:image:architecture', value: arch });
    }
  });
});
