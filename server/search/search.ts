/**
 * Full-text search across the text of every Vorlage a user may see. The index
 * (server/storage/search.ts) catches up with the stored sections before each
 * search: a section's text is what the comparison of versions reads
 * (`sectionText`, dossier/compare.ts), so header fields, Beratungsfolge and
 * budget lines are found as well as the rich text.
 */
import { sectionText } from '../../dossier/compare';
import { canSeeDossier, type Actor } from '../../dossier/policy';
import type { SearchAnswer, SearchResult } from '../../dossier/rest';
import { queryTerms } from '../../dossier/search';
import type { IndexedSection } from '../storage/search';
import type { Storage } from '../storage/storage';
import type { TemplateRegistry } from '../templates/loader';

/** Sections matched at most per search, and passages shown per Vorlage. */
const MAX_HITS = 200;
const PASSAGES_PER_DOSSIER = 3;

export class Search {
  /** One catch-up at a time: searches arriving meanwhile wait for it rather than index the same sections twice. */
  private catchingUp: Promise<void> | null = null;

  constructor(private readonly deps: { storage: Storage; templates: TemplateRegistry }) {}

  async find(actor: Actor, query: string): Promise<SearchAnswer> {
    const terms = queryTerms(query);
    if (terms.length === 0) return { terms, results: [] };
    await this.catchUp();
    const dossiers = (await this.deps.storage.dossiers.list()).filter((dossier) => canSeeDossier(actor, dossier));
    const hits = await this.deps.storage.search.find(
      terms,
      dossiers.map((dossier) => dossier.id),
      MAX_HITS,
    );
    const results = new Map<string, SearchResult>();
    for (const hit of hits) {
      const dossier = dossiers.find((d) => d.id === hit.dossierId);
      const section = dossier && this.deps.templates.get(dossier.templateId)?.sections.find((s) => s.id === hit.sectionId);
      if (!dossier || !section) continue;
      const result = results.get(dossier.id) ?? { dossierId: dossier.id, hits: [] };
      if (result.hits.length < PASSAGES_PER_DOSSIER) result.hits.push({ sectionId: section.id, sectionTitle: section.title, passage: hit.passage });
      results.set(dossier.id, result);
    }
    return { terms, results: [...results.values()] };
  }

  /** Indexes the text of every section stored since it was last indexed. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.indexStale().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async indexStale(): Promise<void> {
    const { storage, templates } = this.deps;
    const byDossier = new Map<string, string[]>();
    for (const { dossierId, sectionId } of await storage.search.staleSections()) byDossier.set(dossierId, [...(byDossier.get(dossierId) ?? []), sectionId]);
    for (const [dossierId, sectionIds] of byDossier) {
      const dossier = await storage.dossiers.get(dossierId);
      const template = dossier && templates.get(dossier.templateId);
      const contents = await storage.dossiers.getSectionContents(dossierId);
      const indexed: IndexedSection[] = [];
      for (const sectionId of sectionIds) {
        const stored = contents.get(sectionId);
        if (!stored) continue;
        const section = template?.sections.find((s) => s.id === sectionId);
        // a section its template no longer has (or of an uninstalled template) is indexed as empty: found by nothing, not retried
        const text = section && template ? sectionText(section, stored.content, template.budgetScheme) : '';
        indexed.push({ dossierId, sectionId, updatedAt: stored.updatedAt, text });
      }
      await storage.search.put(indexed);
    }
  }
}
