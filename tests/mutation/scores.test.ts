/**
 * The score lines `npm run mutate` prints: per folder from one Stryker report, and from the
 * committed incremental files of all subsets together (`--summary`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { schema } from '@stryker-mutator/api/core';
import { committedScores, folderOf, folderScores } from './scores';

const mutant = (line: number, status: schema.MutantStatus, mutatorName = 'BooleanLiteral'): schema.MutantResult => ({
  id: String(line),
  mutatorName,
  replacement: 'false',
  status,
  location: { start: { line, column: 1 }, end: { line, column: 5 } },
});

describe('scores per folder', () => {
  it('splits server/ by its subfolders and keeps dossier/ whole', () => {
    expect(folderOf('server/collab/access.ts')).toBe('server/collab/');
    expect(folderOf('server/app.ts')).toBe('server/');
    expect(folderOf('dossier/budget/sums.ts')).toBe('dossier/');
  });

  it('counts timeouts as detected and leaves compile errors and ignored mutants out', () => {
    const report = {
      files: {
        'server/api/auth.ts': {
          language: 'typescript',
          source: '',
          mutants: [mutant(1, 'Killed'), mutant(2, 'Timeout'), mutant(3, 'Survived'), mutant(4, 'NoCoverage'), mutant(5, 'CompileError'), mutant(6, 'Ignored')],
        },
      },
    } as unknown as schema.MutationTestResult;
    expect(folderScores(report)).toEqual([{ folder: 'server/api/', killed: 2, survived: 1, noCoverage: 1, score: 50 }]);
  });
});

describe('the committed results of all subsets', () => {
  let directory = '';
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const write = (name: string, files: Record<string, { source: string; mutants: schema.MutantResult[] }>, testFiles = {}) =>
    writeFileSync(join(directory, `${name}.json`), JSON.stringify({ files, testFiles }));

  it('counts a mutant as detected when any subset detects it, each mutant once', () => {
    directory = mkdtempSync(join(tmpdir(), 'mutation-'));
    write('access', { 'server/collab/access.ts': { source: 'a', mutants: [mutant(1, 'Survived'), mutant(2, 'NoCoverage'), mutant(3, 'Survived')] } });
    write('access-more-tests', { 'server/collab/access.ts': { source: 'a', mutants: [mutant(1, 'Killed'), mutant(2, 'Survived')] } });
    const { scores, stale } = committedScores(directory, () => 'a');
    expect(stale).toEqual([]);
    expect(scores).toEqual([{ folder: 'server/collab/', killed: 1, survived: 2, noCoverage: 0, score: 100 / 3 }]);
  });

  it('leaves out a subset whose measured source or tests changed, and names what changed', () => {
    directory = mkdtempSync(join(tmpdir(), 'mutation-'));
    write('api', {
      'server/api/auth.ts': { source: 'old', mutants: [mutant(1, 'Killed')] },
      'server/api/users.ts': { source: 'same', mutants: [mutant(1, 'Killed'), mutant(2, 'Survived')] },
    });
    write(
      'dossier',
      { 'dossier/policy.ts': { source: 'same', mutants: [mutant(1, 'Killed'), mutant(2, 'Survived')] } },
      {
        'tests/access/policy.test.ts': { source: 'old test', tests: [] },
      },
    );
    write(
      'export',
      { 'server/export/pdf.ts': { source: 'same', mutants: [mutant(1, 'Killed')] } },
      { 'tests/export/pdf.test.ts': { source: 'same', tests: [] } },
    );
    const current: Record<string, string> = {
      'server/api/auth.ts': 'new',
      'server/api/users.ts': 'same',
      'dossier/policy.ts': 'same',
      'tests/access/policy.test.ts': 'new test',
      'server/export/pdf.ts': 'same',
      'tests/export/pdf.test.ts': 'same',
    };
    const { scores, stale } = committedScores(directory, (file) => current[file]);
    expect(stale).toEqual([
      { subset: 'api', changed: ['server/api/auth.ts'], dropped: 'files' },
      { subset: 'dossier', changed: ['tests/access/policy.test.ts'], dropped: 'subset' },
    ]);
    expect(scores.map(({ folder, score }) => [folder, score])).toEqual([
      ['server/api/', 50],
      ['server/export/', 100],
    ]);
  });
});
