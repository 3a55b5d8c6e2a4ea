/**
 * `npm run mutate [-- <folder or file> ...]`: Stryker over dossier/ and server/ (or the given
 * part of them), then one score line per folder from Stryker's JSON report.
 *
 *   npm run mutate                      everything stryker.config.mjs mutates
 *   npm run mutate -- dossier           dossier/ only
 *   npm run mutate -- server/accounts server/api/auth.ts
 *   npm run mutate -- dossier --tests=tests/dossier --tests=tests/access/policy.test.ts
 *   npm run mutate -- server/accounts --tests=tests/accounts --concurrency=1
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
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Stryker as StrykerClass } from '@stryker-mutator/core';
import type { schema } from '@stryker-mutator/api/core';

// Stryker 10 declares Node >= 22 and its package entry (the CLI module) throws on Node 20, which
// this project runs. The Stryker class itself runs on Node 20; it is loaded from its own module,
// past that guard. Drop this once the project moves to Node 22.
const strykerDir = dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
const { Stryker } = (await import(pathToFileURL(join(strykerDir, 'dist/src/stryker.js')).href)) as { Stryker: typeof StrykerClass };

// The config is plain JavaScript (Stryker reads it without a TypeScript loader): typed here by hand.
const configModule: string = '../../stryker.config.mjs';
const { default: strykerConfig } = (await import(configModule)) as { default: { mutate: string[] } };

/** The folders the suite is held to: at least TARGET_SCORE % of their mutants killed. */
export const TARGET_FOLDERS = ['dossier/', 'server/collab/', 'server/api/', 'server/accounts/', 'server/export/'];
const TARGET_SCORE = 80;
const REPORT = 'reports/mutation/mutation.json';

/** A file as given, a folder as the glob of its files ending in `suffix`. */
const globOf = (part: string, suffix: string) => {
  const path = part.replace(/\/+$/, '');
  return /\.[cm]?[jt]s$/.test(path) ? path : `${path}/**/*${suffix}`;
};

/** The config's globs, with its positive globs replaced by the given parts; its exclusions stay. */
function mutateGlobs(parts: string[]): string[] {
  const configured = strykerConfig.mutate;
  if (parts.length === 0) return configured;
  return [...parts.map((part) => globOf(part, '.ts')), ...configured.filter((glob) => glob.startsWith('!'))];
}

/** dossier/ is one folder; server/ is split by its subfolders, its own files count as server/. */
export function folderOf(file: string): string {
  const segments = file.split('/');
  if (segments[0] === 'server' && segments.length > 2) return `server/${segments[1]}/`;
  return `${segments[0]}/`;
}

export interface FolderScore {
  folder: string;
  killed: number;
  survived: number;
  noCoverage: number;
  /** Killed (timeouts included) of all mutants that ran or should have run; null when none. */
  score: number | null;
}

const DETECTED: schema.MutantStatus[] = ['Killed', 'Timeout'];

/** Stryker's mutation score per folder; compile errors, runtime errors and ignored mutants do not count. */
export function folderScores(report: schema.MutationTestResult): FolderScore[] {
  const byFolder = new Map<string, FolderScore>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = folderOf(file);
    const entry = byFolder.get(folder) ?? { folder, killed: 0, survived: 0, noCoverage: 0, score: null };
    for (const { status } of mutants) {
      if (DETECTED.includes(status)) entry.killed++;
      else if (status === 'Survived') entry.survived++;
      else if (status === 'NoCoverage') entry.noCoverage++;
    }
    byFolder.set(folder, entry);
  }
  return [...byFolder.values()]
    .map((entry) => {
      const valid = entry.killed + entry.survived + entry.noCoverage;
      return { ...entry, score: valid === 0 ? null : (100 * entry.killed) / valid };
    })
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

function printSummary(scores: FolderScore[]): boolean {
  console.log('\nMutation score per folder (killed / (killed + survived + no coverage)):');
  let met = true;
  for (const { folder, killed, survived, noCoverage, score } of scores) {
    const target = TARGET_FOLDERS.includes(folder);
    const below = target && score !== null && score < TARGET_SCORE;
    if (below) met = false;
    const shown = score === null ? '   n/a' : `${score.toFixed(1).padStart(5)} %`;
    const counts = `${killed} killed, ${survived} survived, ${noCoverage} not covered`;
    const mark = target ? (below ? `  below the ${TARGET_SCORE} % target` : '  target met') : '';
    console.log(`  ${folder.padEnd(18)} ${shown}   ${counts}${mark}`);
  }
  return met;
}

const args = process.argv.slice(2);
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
await new Stryker({
  configFile: 'stryker.config.mjs',
  mutate: mutateGlobs(parts),
  ...(tests.length === 0 ? {} : { testFiles: tests.map((test) => globOf(test, '.test.ts')) }),
  ...(concurrency === undefined ? {} : { concurrency }),
  incrementalFile: `tests/mutation/incremental/${subset}.json`,
}).runMutationTest();
const report = JSON.parse(readFileSync(REPORT, 'utf8')) as schema.MutationTestResult;
if (!printSummary(folderScores(report))) process.exitCode = 1;
