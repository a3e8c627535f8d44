import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Host and image tests start real servers: one file at a time in each project (the two
    // projects below run side by side, measured to keep every timing margin on 2 cores).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
    projects: [
      // Unit, host and image tests; the image tests on the newest Python (whisk:latest).
      { extends: true, test: { name: 'latest', include: ['test/**/*.test.ts'] } },
      // The image tests again on the older Python of image/pythons (whisk:3.11), but the
      // Compose example, which builds FROM whisk:onbuild as users do.
      {
        extends: true,
        test: {
          name: 'python-3.11', include: ['test/image/**/*.test.ts'], exclude: ['test/image/compose.test.ts'],
          env: { WHISK_TEST_PYTHON: '3.11' },
        },
      },
    ],
  },
});
