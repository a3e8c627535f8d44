// Bundles the entrypoint and its dependencies into dist/whisk.cjs and dist/healthcheck.cjs
// (the image needs no npm),
// and installs the shell launcher beside it as dist/whisk, the supervisor as dist/shutdown-delay,
// the ASGI socket holder as dist/asgi-sockets, and the start-up snapshot's builder as
// dist/snapshot.cjs (the image builds the snapshot with its own Node).
import { build } from 'esbuild';
import fs from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['entrypoint/bin.ts'], outfile: 'dist/whisk.cjs' });
// `whisk healthcheck` on its own: Docker runs it every 30 s (see entrypoint/healthcheck-bin.ts).
await build({ ...common, entryPoints: ['entrypoint/healthcheck-bin.ts'], outfile: 'dist/healthcheck.cjs' });
// The shell scripts: the launcher (the hand-over), the --shutdown-delay supervisor and the
// image's ENTRYPOINT (the server or a program).
for (const [from, to] of [
  ['entrypoint/launcher.sh', 'dist/whisk'],
  ['entrypoint/shutdown-delay.sh', 'dist/shutdown-delay'],
  ['entrypoint/docker-entrypoint.sh', 'dist/docker-entrypoint'],
  ['entrypoint/asgi-sockets.py', 'dist/asgi-sockets'],
  ['entrypoint/snapshot.cjs', 'dist/snapshot.cjs'],
  ['entrypoint/start-key.sh', 'dist/start-key'],
]) {
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o755);
}
