/**
 * The mutation score per folder, from one Stryker report or from the committed incremental
 * files of every subset together; printed by `npm run mutate` (mutate.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { schema } from '@stryker-mutator/api/core';

/** The folders the suite is held to: at least TARGET_SCORE % of their mutants killed. */
export const TARGET_FOLDERS = ['dossier/', 'server/collab/', 'server/api/', 'server/accounts/', 'server/export/'];
export const TARGET_SCORE = 80;

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

/** One incremental file as Stryker writes it: the mutants of each file, and the test files with their sources. */
interface IncrementalReport {
  files: Record<string, { source: string; mutants: schema.MutantResult[] }>;
  testFiles?: Record<string, { source?: string }>;
}

export interface CommittedScores {
  scores: FolderScore[];
  /**
   * What changed since the subset that measured it ran, and is not counted: a changed source
   * file drops that file's results of the subset, a changed test file all of them.
   */
  stale: { subset: string; changed: string[]; dropped: 'files' | 'subset' }[];
}

/**
 * The scores of every committed incremental file together, without running anything: a
 * mutant counts as detected when any subset's tests detect it (they are all part of the
 * suite). Results measured on a source file or with tests that changed since are left out and named.
 */
export function committedScores(directory: string, read: (path: string) => string | undefined): CommittedScores {
  const merged = new Map<string, schema.MutantResult[]>();
  const stale: CommittedScores['stale'] = [];
  for (const name of readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const report = JSON.parse(readFileSync(join(directory, name), 'utf8')) as IncrementalReport;
    const subset = name.replace(/\.json$/, '');
    const changedTests = Object.entries(report.testFiles ?? {})
      .filter(([file, { source }]) => source !== undefined && read(file) !== source)
      .map(([file]) => file);
    if (changedTests.length > 0) {
      stale.push({ subset, changed: changedTests, dropped: 'subset' });
      continue;
    }
    const changedFiles = Object.entries(report.files)
      .filter(([file, { source }]) => read(file) !== source)
      .map(([file]) => file);
    if (changedFiles.length > 0) stale.push({ subset, changed: changedFiles, dropped: 'files' });
    for (const [file, { mutants }] of Object.entries(report.files)) {
      if (changedFiles.includes(file)) continue;
      const byKey = new Map((merged.get(file) ?? []).map((mutant) => [mutantKey(mutant), mutant]));
      for (const mutant of mutants) {
        const known = byKey.get(mutantKey(mutant));
        if (known === undefined || rank(mutant.status) > rank(known.status)) byKey.set(mutantKey(mutant), mutant);
      }
      merged.set(file, [...byKey.values()]);
    }
  }
  const files = Object.fromEntries([...merged].map(([file, mutants]) => [file, { mutants }]));
  return { scores: folderScores({ files } as unknown as schema.MutationTestResult), stale };
}

const mutantKey = ({ mutatorName, replacement, location: { start, end } }: schema.MutantResult) =>
  `${mutatorName}|${replacement ?? ''}|${start.line}:${start.column}-${end.line}:${end.column}`;
/** Which of two results for the same mutant stands: detected over survived over not covered over the rest. */
const rank = (status: schema.MutantStatus) => (DETECTED.includes(status) ? 3 : status === 'Survived' ? 2 : status === 'NoCoverage' ? 1 : 0);

/** Prints one line per folder; false when a target folder is below its score. */
export function printSummary(scores: FolderScore[]): boolean {
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
