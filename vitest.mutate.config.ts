/**
 * The Vitest configuration Stryker runs (`npm run mutate`, see stryker.config.mjs): the
 * non-browser tests only. Browser tests drive Chromium against a built client and a server in
 * this process, so they cannot see the mutant switch any more cheaply than the tests of the
 * server itself, and they would make every mutant run take minutes; benchmarks assert nothing.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/bench/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Stryker switches mutants through a global at run time, so a worker may keep its loaded
    // modules between mutant runs: without this every run re-imports Yjs, Tiptap and zod.
    isolate: false,
  },
});
