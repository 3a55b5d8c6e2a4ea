/**
 * The full-text index of the sections' text. The server decides what a
 * section's text is (it knows the templates) and puts it here; the index only
 * stores and matches it. It follows the stored sections: `staleSections` names
 * those stored since they were indexed, so the index catches up before a search
 * and never answers from older text than the storage holds.
 */
import type { PassagePart } from '../../dossier/search';

export interface IndexedSection {
  dossierId: string;
  sectionId: string;
  /** The stored section's `updatedAt` the text was taken from. */
  updatedAt: string;
  text: string;
}

export interface SearchHit {
  dossierId: string;
  sectionId: string;
  /** The best matching passage of the section's text, its matching words marked. */
  passage: PassagePart[];
}

export interface SearchIndex {
  /** Stored sections whose text is not indexed, or was indexed from an older store. */
  staleSections(): Promise<{ dossierId: string; sectionId: string }[]>;
  /** Replaces the indexed text of each given section. */
  put(sections: readonly IndexedSection[]): Promise<void>;
  /**
   * Sections of the given dossiers whose text holds every term (as the start of
   * a word, case and accents ignored), best first, at most `limit`.
   */
  find(terms: readonly string[], dossierIds: readonly string[], limit: number): Promise<SearchHit[]>;
}
