/**
 * The full-text index in PostgreSQL (migration 7 in postgres.ts): the sections' text with a tsvector in the
 * German configuration (stemmed, so "Leitstellen" finds "Leitstelle"), GIN-indexed, beside which store of each
 * section it holds. Unlike SQLite's index it does not fold accents ("Muhlbach" does not find "Mühlbach").
 */
import type pg from 'pg';
import { passageParts } from '../../dossier/search';
import type { SearchHit, SearchIndex } from './search';

export const postgresSearchMigration = `CREATE TABLE section_text (
     dossier_id TEXT COLLATE "C" NOT NULL,
     section_id TEXT COLLATE "C" NOT NULL,
     updated_at TEXT COLLATE "C" NOT NULL,
     text TEXT NOT NULL,
     document tsvector GENERATED ALWAYS AS (to_tsvector('german', text)) STORED,
     PRIMARY KEY (dossier_id, section_id)
   );
   CREATE INDEX section_text_document ON section_text USING GIN (document);`;

type Query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<pg.QueryResult<R>>;

export function postgresSearch(query: Query): SearchIndex {
  return {
    async staleSections() {
      return (
        await query<{ dossierId: string; sectionId: string }>(
          `SELECT s.dossier_id AS "dossierId", s.section_id AS "sectionId" FROM sections s
           LEFT JOIN section_text x ON x.dossier_id = s.dossier_id AND x.section_id = s.section_id
           WHERE x.updated_at IS DISTINCT FROM s.updated_at`,
        )
      ).rows;
    },
    async put(sections) {
      if (sections.length === 0) return;
      // one statement for all: atomic, and one round trip however many sections a dossier has
      await query(
        `INSERT INTO section_text (dossier_id, section_id, updated_at, text)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (dossier_id, section_id) DO UPDATE SET updated_at = excluded.updated_at, text = excluded.text`,
        [sections.map((s) => s.dossierId), sections.map((s) => s.sectionId), sections.map((s) => s.updatedAt), sections.map((s) => s.text)],
      );
    },
    async find(terms, dossierIds, limit) {
      if (terms.length === 0 || dossierIds.length === 0) return [];
      // a term is letters and digits only (queryTerms), so it is safe as a prefix in tsquery syntax
      const tsquery = terms.map((term) => `${term}:*`).join(' & ');
      const { rows } = await query<{ dossierId: string; sectionId: string; passage: string }>(
        `SELECT dossier_id AS "dossierId", section_id AS "sectionId",
                ts_headline('german', text, q, 'MaxFragments=1, MaxWords=30, MinWords=12, StartSel=' || chr(2) || ', StopSel=' || chr(3)) AS passage
         FROM section_text, to_tsquery('german', $1) AS q
         WHERE document @@ q AND dossier_id = ANY($2::text[])
         ORDER BY ts_rank(document, q) DESC LIMIT $3`,
        [tsquery, dossierIds, limit],
      );
      return rows.map((row): SearchHit => ({ dossierId: row.dossierId, sectionId: row.sectionId, passage: passageParts(row.passage) }));
    },
  };
}
