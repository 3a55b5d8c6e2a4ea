/**
 * Mutation testing (`npm run mutate`, tests/mutation/mutate.ts): Stryker changes the code of
 * dossier/ and server/ one small mutation at a time and runs the non-browser tests that cover
 * each change (vitest.mutate.config.ts); a mutant no test fails on is behaviour nobody checks.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', pool: 'forks' },
  mutate: [
    'dossier/**/*.ts',
    'server/**/*.ts',
    // Declarations and type-only modules: no runtime code to change.
    '!**/*.d.ts',
    '!server/export/pdfmake-types.ts',
    // Entry points that only read the environment and start things; tests start the server
    // through server/app.ts and would need a process per mutant for these.
    '!server/main.ts',
    '!server/accounts/cli.ts',
    '!server/export/cli.ts',
    // Runs in a worker thread (entered through worker-entry.mjs, which is not TypeScript and not
    // matched here): Stryker switches mutants on in the test process only, so no mutant there
    // can be killed. The rendering it calls (render.ts, pdf.ts, ...) is tested in-process too.
    '!server/export/worker.ts',
    // Demo content: the texts and figures of an invented dossier, not behaviour.
    '!server/demo/labor-der-kreativen-koepfe.ts',
  ],
  ignorePatterns: ['data', 'dist', 'tests/.artifacts'],
  // Log lines are not counted (tests/mutation/log-lines.mjs says why).
  plugins: ['@stryker-mutator/*', './tests/mutation/log-lines.mjs'],
  ignorers: ['log-lines'],
  // Each test records which mutants it reaches, so a mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Static mutants (code run once at import: the zod schemas, constants, label tables) can only
  // be tested by reloading every test file and running every test: a quarter of the mutants of
  // dossier/ took 70 % of the time, and with the server tests each one would rerun the whole
  // suite. They are reported as ignored and not counted in the score.
  ignoreStatic: true,
  // Two cores, shared with other work.
  concurrency: 2,
  // Reruns reuse the results of unchanged code and tests; mutate.ts keeps one file per subset
  // in tests/mutation/incremental/ (committed).
  incremental: true,
  incrementalFile: 'tests/mutation/incremental/all.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Server tests start real servers; a mutant that hangs one is a timeout (counted as killed),
  // but the first run on a busy machine must not call slow tests hangs.
  timeoutMS: 10_000,
  timeoutFactor: 2,
};
