/**
 * `npm run mutate [-- <folder or file> ...]`: Stryker over dossier/ and server/ (or the given
 * part of them), then one score line per folder from Stryker's JSON report.
 *
 *   npm run mutate                      everything stryker.config.mjs mutates
 *   npm run mutate -- dossier           dossier/ only
 *   npm run mutate -- server/accounts server/api/auth.ts
 *   npm run mutate -- dossier --tests=tests/dossier --tests=tests/access/policy.test.ts
 *   npm run mutate -- server/accounts --tests=tests/accounts --concurrency=1
 *   npm run mutate -- --summary         the committed results of all subsets, nothing run
 *
 * `--tests=` (a test file or folder, repeatable) runs only those tests instead of every
 * non-browser test: the pure tests of dossier/ take minutes where the server tests, which start
 * a server for every mutant they cover, take hours.
 * `--concurrency=N` runs N test processes at once instead of the config's two, e.g. one on a
 * machine shared with others.
 * Each subset keeps its own incremental file (Stryker's incremental report holds only the
 * files of the run that wrote it), so rerunning the same command retests only what changed.
 * The files are committed: each session of this project starts on a fresh machine, and a
 * run over the server tests takes hours.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Stryker as StrykerClass } from '@stryker-mutator/core';
import type { schema } from '@stryker-mutator/api/core';
import { committedScores, folderScores, printSummary } from './scores';

const REPORT = 'reports/mutation/mutation.json';
const INCREMENTAL_DIR = 'tests/mutation/incremental';
/** The command line that reruns a subset, kept beside its results: hashed subset names say nothing. */
const argsFile = (subset: string) => `${INCREMENTAL_DIR}/${subset}.args`;

/** A file as given, a folder as the glob of its files ending in `suffix`. */
const globOf = (part: string, suffix: string) => {
  const path = part.replace(/\/+$/, '');
  return /\.[cm]?[jt]s$/.test(path) ? path : `${path}/**/*${suffix}`;
};

/** The config's globs, with its positive globs replaced by the given parts; its exclusions stay. */
function mutateGlobs(parts: string[], configured: string[]): string[] {
  if (parts.length === 0) return configured;
  return [...parts.map((part) => globOf(part, '.ts')), ...configured.filter((glob) => glob.startsWith('!'))];
}

const args = process.argv.slice(2);
if (args.includes('--summary')) {
  const { scores, stale } = committedScores(INCREMENTAL_DIR, (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined));
  for (const { subset, changed, dropped } of stale) {
    const what = dropped === 'subset' ? 'its tests changed, none of its results count' : 'these files changed, their results do not count';
    const rerun = existsSync(argsFile(subset)) ? readFileSync(argsFile(subset), 'utf8').trim() : '…';
    console.log(`${subset}: ${what}: ${changed.join(', ')}\n  to update: npm run mutate -- ${rerun}`);
  }
  if (!printSummary(scores)) process.exitCode = 1;
} else {
  // Stryker 10 declares Node >= 22 and its package entry (the CLI module) throws on Node 20, which
  // this project runs. The Stryker class itself runs on Node 20; it is loaded from its own module,
  // past that guard. Drop this once the project moves to Node 22.
  const strykerDir = dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
  const { Stryker } = (await import(pathToFileURL(join(strykerDir, 'dist/src/stryker.js')).href)) as { Stryker: typeof StrykerClass };

  // The config is plain JavaScript (Stryker reads it without a TypeScript loader): typed here by hand.
  const configModule: string = '../../stryker.config.mjs';
  const { default: strykerConfig } = (await import(configModule)) as { default: { mutate: string[] } };

  const tests = args.filter((arg) => arg.startsWith('--tests=')).map((arg) => arg.slice('--tests='.length));
  const concurrencyArg = args.find((arg) => arg.startsWith('--concurrency='));
  const concurrency = concurrencyArg === undefined ? undefined : Number(concurrencyArg.slice('--concurrency='.length));
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
    throw new Error(`--concurrency needs a whole number of at least 1: ${concurrencyArg}`);
  const parts = args.filter((arg) => !arg.startsWith('--'));
  const keyOf = (list: string[]) => list.map((part) => part.replace(/\/+$/, '').replace(/[^\w.-]+/g, '-')).join('+');
  const named = [parts.length === 0 ? 'all' : keyOf(parts), ...(tests.length === 0 ? [] : ['tests', keyOf(tests)])].join('+');
  // a file name has at most 255 bytes: a long list of parts and tests is named by its first part and a hash of the whole
  const subset = named.length <= 120 ? named : `${named.split('+')[0]}+${createHash('sha256').update(named).digest('hex').slice(0, 16)}`;
  writeFileSync(argsFile(subset), `${args.filter((arg) => !arg.startsWith('--concurrency=')).join(' ')}\n`);
  await new Stryker({
    configFile: 'stryker.config.mjs',
    mutate: mutateGlobs(parts, strykerConfig.mutate),
    ...(tests.length === 0 ? {} : { testFiles: tests.map((test) => globOf(test, '.test.ts')) }),
    ...(concurrency === undefined ? {} : { concurrency }),
    incrementalFile: `${INCREMENTAL_DIR}/${subset}.json`,
  }).runMutationTest();
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as schema.MutationTestResult;
  if (!printSummary(folderScores(report))) process.exitCode = 1;
}
