/**
 * The full-text index in SQLite: an FTS5 table (unicode61 tokenizer, accents
 * folded, so "Kammerei" finds "Kämmerei") beside a table recording which store
 * of each section it holds. Created by migration 7 (server/storage/sqlite.ts).
 */
import type Database from 'better-sqlite3';
import { MATCH_END, MATCH_START, passageParts } from '../../dossier/search';
import type { IndexedSection, SearchHit, SearchIndex } from './search';

export const searchMigration = `CREATE VIRTUAL TABLE section_text USING fts5(dossier_id UNINDEXED, section_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2');
   CREATE TABLE section_text_state (
     dossier_id TEXT NOT NULL,
     section_id TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     text_rowid INTEGER NOT NULL,
     PRIMARY KEY (dossier_id, section_id)
   );`;

/** A term as an FTS5 prefix query: quoted (a term is letters and digits only, see queryTerms), then `*`. */
const prefix = (term: string) => `"${term.replaceAll('"', '""')}"*`;

export function sqliteSearch(db: Database.Database): SearchIndex {
  const stale = db.prepare(
    `SELECT s.dossier_id AS dossierId, s.section_id AS sectionId FROM sections s
     LEFT JOIN section_text_state x ON x.dossier_id = s.dossier_id AND x.section_id = s.section_id
     WHERE x.updated_at IS NULL OR x.updated_at <> s.updated_at`,
  );
  const stateOf = db.prepare(`SELECT text_rowid FROM section_text_state WHERE dossier_id = ? AND section_id = ?`);
  const deleteText = db.prepare(`DELETE FROM section_text WHERE rowid = ?`);
  const insertText = db.prepare(`INSERT INTO section_text (dossier_id, section_id, text) VALUES (?, ?, ?)`);
  const upsertState = db.prepare(
    `INSERT INTO section_text_state (dossier_id, section_id, updated_at, text_rowid) VALUES (?, ?, ?, ?)
     ON CONFLICT (dossier_id, section_id) DO UPDATE SET updated_at = excluded.updated_at, text_rowid = excluded.text_rowid`,
  );
  const put = db.transaction((sections: readonly IndexedSection[]) => {
    for (const section of sections) {
      const previous = stateOf.get(section.dossierId, section.sectionId) as { text_rowid: number } | undefined;
      if (previous) deleteText.run(previous.text_rowid);
      const { lastInsertRowid } = insertText.run(section.dossierId, section.sectionId, section.text);
      upsertState.run(section.dossierId, section.sectionId, section.updatedAt, lastInsertRowid);
    }
  });

  return {
    async staleSections() {
      return stale.all() as { dossierId: string; sectionId: string }[];
    },
    async put(sections) {
      put(sections);
    },
    async find(terms, dossierIds, limit) {
      if (terms.length === 0 || dossierIds.length === 0) return [];
      // the dossiers as a JSON array: one parameter however many a user may see
      const rows = db
        .prepare(
          `SELECT dossier_id AS dossierId, section_id AS sectionId, snippet(section_text, 2, ?, ?, '…', 16) AS passage
           FROM section_text
           WHERE section_text MATCH ? AND dossier_id IN (SELECT value FROM json_each(?))
           ORDER BY bm25(section_text) LIMIT ?`,
        )
        .all(MATCH_START, MATCH_END, terms.map(prefix).join(' '), JSON.stringify(dossierIds), limit) as {
        dossierId: string;
        sectionId: string;
        passage: string;
      }[];
      return rows.map((row): SearchHit => ({ dossierId: row.dossierId, sectionId: row.sectionId, passage: passageParts(row.passage) }));
    },
  };
}
