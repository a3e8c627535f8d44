// Bundles the entrypoint and its dependencies into dist/whisk.cjs (the image needs no npm),
// and installs the shell launcher beside it as dist/whisk.
import { build } from 'esbuild';
import fs from 'node:fs';

await build({
  entryPoints: ['entrypoint/bin.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/whisk.cjs',
  legalComments: 'none',
  logLevel: 'warning',
});
fs.copyFileSync('entrypoint/launcher.sh', 'dist/whisk');
fs.chmodSync('dist/whisk', 0o755);
