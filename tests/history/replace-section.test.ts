/**
 * `replaceSection` (dossier/layout.ts), what a restore from the drafting
 * history writes into a live section: for every kind, a document that held
 * other content afterwards reads exactly as a fresh one written with the
 * restored content — and so does a peer that only receives the update.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signaturesContentSchema, type SectionContentByKind } from '../../dossier/content';
import { readSection, replaceSection, writeSection } from '../../dossier/layout';
import { doc, p, ul } from '../../dossier/rich-text';
import type { TemplateSection } from '../../dossier/template';
import { loadTemplates } from '../../server/templates/loader';
import { projectRoot } from '../support/server';

const template = (await loadTemplates(join(projectRoot, 'templates'))).get('verstetigung-smart-city')!;
const line = (id: string, description: string, amount: number) => ({
  id,
  costType: 'sach' as const,
  recurrence: 'laufend' as const,
  description,
  account: { produkt: '1.11', kostenstelle: '', sachkonto: '4431', haushaltsstelle: '' },
  amounts: { '2027': amount },
});

/** Per kind: what the live document holds, and the older content that replaces it. */
const cases: { [K in keyof SectionContentByKind]: { sectionId: string; live: SectionContentByKind[K]; restored: SectionContentByKind[K] } } = {
  text: { sectionId: 'ausgangslage', live: doc(p('Neu geschrieben'), ul('eins', 'zwei')), restored: doc(p('Die alte Fassung.')) },
  header: {
    sectionId: 'kopf',
    live: { fields: { aktenzeichen: 'SC-2/2027', beteiligt: ['Kämmerei', 'Rechtsamt'], oeffentlichkeit: 'nichtoeffentlich' } },
    restored: { fields: { aktenzeichen: 'SC-1/2026', beteiligt: ['Kämmerei'], oeffentlichkeit: 'oeffentlich' } },
  },
  consultation: {
    sectionId: 'beratungsfolge',
    live: { rows: [{ id: 'a', body: 'Stadtrat', date: '2027-03-01', role: 'entscheidung', public: true, result: '' }] },
    restored: {
      rows: [
        { id: 'b', body: 'Ausschuss', date: '', role: 'vorberatung', public: false, result: '' },
        { id: 'c', body: 'Stadtrat', date: '', role: 'entscheidung', public: true, result: 'beschlossen' },
      ],
    },
  },
  budget: {
    sectionId: 'finanzen',
    live: {
      firstYear: 2027,
      lastYear: 2029,
      lines: [line('l1', 'Lizenzen', 500_00), line('l2', 'Wartung', 1200_00)],
      coverage: { kind: 'deckungsvorschlag', text: 'aus Budget 2' },
      followUpCosts: 'keine',
      statement: doc(p('Neue Erläuterung')),
    },
    restored: {
      firstYear: 2027,
      lastYear: 2028,
      lines: [line('l0', 'Betrieb', 9000_00)],
      coverage: { kind: null, text: '' },
      followUpCosts: '',
      statement: doc(p('Alte Erläuterung')),
    },
  },
  choice: {
    sectionId: 'klima',
    live: { value: 'ja-negativ', texts: { erlaeuterung: doc(p('Mehr Strom')), alternativen: doc(p('Ökostrom')) } },
    restored: { value: 'nein', texts: { erlaeuterung: doc(p('Keine Auswirkung')), alternativen: doc(p()) } },
  },
  attachments: {
    sectionId: 'anlagen',
    live: { items: [{ id: 'x', title: 'Evaluationsbericht', public: true }] },
    restored: { items: [] },
  },
  signatures: {
    sectionId: 'mitzeichnung',
    live: signaturesContentSchema.parse({
      status: 'cosigning',
      items: [{ department: 'Kämmerei', departmentId: 'kaemmerei', name: 'Sabine Huber', signedAt: '2027-01-02T10:00:00.000Z', sections: { finanzen: 'ab' } }],
    }),
    restored: signaturesContentSchema.parse({ items: [] }),
  },
};

describe('replaceSection', () => {
  it.each(Object.entries(cases))('replaces a live %s section with the restored content, for a peer as well', (_kind, { sectionId, live, restored }) => {
    const section = template.sections.find((s) => s.id === sectionId) as TemplateSection;
    const fresh = (content: unknown) => {
      const written = new Y.Doc();
      writeSection(written, section, content as never);
      return readSection(written, section);
    };
    const document = new Y.Doc();
    writeSection(document, section, live as never);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(document));
    expect(readSection(peer, section)).toEqual(fresh(live));

    const before = Y.encodeStateVector(document);
    let transactions = 0;
    document.on('afterTransaction', () => (transactions += 1));
    replaceSection(document, section, restored as never);
    expect(transactions).toBe(1);
    expect(readSection(document, section)).toEqual(fresh(restored));
    expect(readSection(document, section)).not.toEqual(fresh(live));

    Y.applyUpdate(peer, Y.encodeStateAsUpdate(document, before));
    expect(readSection(peer, section)).toEqual(fresh(restored));
  });
});
