/**
 * Tells the workflow when a signable section changes, however the change
 * arrived (an editor, a raw client, the server itself): it listens to the
 * `update` event of every loaded section document but the Mitzeichnung, whose
 * changes the workflow makes itself.
 */
import type { afterLoadDocumentPayload, Extension } from '@hocuspocus/server';
import type { SectionResolver } from '../dossiers/sections';

export type SectionChangeListener = (dossierId: string, sectionId: string) => void;

export class SectionChanges implements Extension {
  extensionName = 'SectionChanges';
  private readonly listeners = new Set<SectionChangeListener>();

  constructor(private readonly resolve: SectionResolver) {}

  onSectionChange(listener: SectionChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    const resolved = await this.resolve(documentName);
    if (!resolved || resolved.section.kind === 'signatures') return;
    const { dossier, section } = resolved;
    document.on('update', () => {
      for (const listener of this.listeners) listener(dossier.id, section.id);
    });
  }
}
