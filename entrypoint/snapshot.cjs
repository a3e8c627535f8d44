// The V8 start-up snapshot of whisk's Node step, built in the image by the image's own Node
// (image/Dockerfile):
//   node --snapshot-blob /opt/whisk/dist/whisk.blob --build-snapshot /opt/whisk/dist/snapshot.cjs
// Debian builds Node without its own start-up snapshot and code cache, so every `node` run
// compiles Node's bootstrap and each built-in module it loads; a snapshot taken after
// loading them starts with them ready (https://nodejs.org/api/cli.html#--build-snapshot-entry;
// bench/README.md "Benchmark", memory and start-up). The launcher runs `node --snapshot-blob
// whisk.blob ARGS...` instead of `node whisk.cjs ARGS...` when this Node can load the blob
// (entrypoint/launcher.sh, snapshot_usable).
//
// Only built-ins Node has verified for user-land snapshots are loaded here (node:net,
// node:child_process, node:tty and node:http are not: whisk loads them when it needs them),
// and nothing of whisk's own: the bundle, which reads the environment, the arguments and
// the files, is loaded after the snapshot is deserialized, in the container that runs it.
'use strict';
const path = require('node:path');
const v8 = require('node:v8');

for (const name of ['buffer', 'crypto', 'events', 'fs', 'os', 'path', 'stream', 'stream/promises', 'string_decoder', 'timers/promises', 'url', 'util']) {
  require(`node:${name}`);
}

const bundle = path.join(__dirname, 'whisk.cjs');
v8.startupSnapshot.setDeserializeMainFunction(() => {
  // As if Node had been started as `node whisk.cjs ARGS...`: the bundle takes its arguments
  // from process.argv[2] on.
  process.argv.splice(1, 0, bundle);
  require('node:module').createRequire(bundle)(bundle);
});
