import { defineConfig } from 'vitest/config';

/**
 * Whole deployments, each of which loads the machine by itself: the Swarm stack, the arm64
 * images under emulation, the release into a local registry. They run after the others
 * (sequence.groupOrder), one file at a time, so no timing margin of the other tests has to
 * share the 2 cores with qemu.
 */
const DEPLOYMENTS = ['test/image/swarm.test.ts', 'test/image/arm64.test.ts', 'test/image/release.test.ts'];

export default defineConfig({
  test: {
    // Host and image tests start real servers: one file at a time in each project (the two
    // first projects run side by side, measured to keep every timing margin on 2 cores).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
    projects: [
      // Unit, host and image tests; the image tests on the newest Python (whisk:latest).
      { extends: true, test: { name: 'latest', include: ['test/**/*.test.ts'], exclude: DEPLOYMENTS, sequence: { groupOrder: 0 } } },
      // The image tests again on the older Python of image/pythons (whisk:3.11), but the
      // Compose example, which builds FROM whisk:onbuild as users do (run once, on the newest),
      // and the start-up snapshot, which whisk:3.11's Node 18 has none of (image/Dockerfile).
      {
        extends: true,
        test: {
          name: 'python-3.11',
          include: ['test/image/**/*.test.ts'],
          exclude: ['test/image/compose.test.ts', 'test/image/snapshot.test.ts', ...DEPLOYMENTS],
          env: { WHISK_TEST_PYTHON: '3.11' },
          sequence: { groupOrder: 0 },
        },
      },
      // Then the deployments, on the newest Python (the release: every Python).
      { extends: true, test: { name: 'deployments', include: DEPLOYMENTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
