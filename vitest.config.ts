import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page or a process shows next: 1 s (vitest's default) was too
    // short on a loaded 2-core machine (a console sign-in's alert took longer beside other runs).
    expect: { poll: { timeout: 15_000 } },
    // No retries: a flaky test is a bug to fix, not to hide.
    retry: 0,
  },
});
