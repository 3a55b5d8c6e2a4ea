/**
 * Text a Vorlage cannot hold (control characters, U+FFFF, lone surrogates)
 * is refused wherever it comes in — REST bodies and section updates on the
 * WebSocket — and whatever older data holds cannot break the archival file's
 * XML metadata. The web client cleans pastes so that nobody meets the refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { XmlDocument } from 'xmldoc';
import * as Y from 'yjs';
import { documentName } from '../../dossier/layout';
import { cleanText, textProblemMessage } from '../../dossier/text';
import { MessageType, RawSyncClient } from '../support/raw-sync';
import { api, createTestDossier, login, startTestServer, TestClient, typeInto, users, waitFor } from '../support/server';
import { renderDossier, xmpPacket } from '../export/support';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const forbidden = ['NUL \u0000', 'Glocke \u0007', 'Word-Umbruch \u000b', 'U+FFFF \uffff', 'halbes Paar \ud800', 'anderes halbes Paar \udc00'];

describe('REST input', () => {
  it('refuses a title or a name with such characters, naming the problem, and creates nothing', async () => {
    const s = await startTestServer();
    cleanups.push(() => s.close());
    const lead = await login(s.url, users.lead);
    const admin = await login(s.url, users.admin);
    const before = (await api(s.url, '/api/dossiers', { session: lead })).body.length;
    for (const text of forbidden) {
      const created = await api(s.url, '/api/dossiers', {
        method: 'POST',
        session: lead,
        json: { templateId: 'verstetigung-smart-city', title: `Betreff mit ${text}` },
      });
      expect(created.status, JSON.stringify(text)).toBe(400);
      expect(created.body.error).toContain(textProblemMessage);
      const renamed = await api(s.url, `/api/users/${lead.user.id}`, { method: 'PATCH', session: admin, json: { displayName: `Jana ${text}` } });
      expect(renamed.status, JSON.stringify(text)).toBe(400);
    }
    expect((await api(s.url, '/api/dossiers', { session: lead })).body.length).toBe(before);
    expect((await api(s.url, '/api/auth/me', { session: lead })).body.user.displayName).toBe('Jana Becker');
    // tabs, line breaks, umlauts and emoji are text
    expect(
      (await api(s.url, '/api/dossiers', { method: 'POST', session: lead, json: { templateId: 'verstetigung-smart-city', title: 'Größe\tund 😀 Straße' } }))
        .status,
    ).toBe(201);
  });
});

describe('section updates', () => {
  it('refuses an update that brings such text and closes that document connection; nothing changes', async () => {
    const s = await startTestServer();
    cleanups.push(() => s.close());
    const lead = await login(s.url, users.lead);
    const dossierId = await createTestDossier(s.url, { session: lead });
    const name = documentName(dossierId, 'ausgangslage');
    const editor = new TestClient(s.wsUrl, lead);
    cleanups.push(() => editor.destroy());
    editor.open(name);
    await editor.synced(name);
    typeInto(editor.doc(name), 'Vorher.');
    await editor.storedAll(name);
    const live = () => Buffer.from(Y.encodeStateAsUpdate(s.collaboration.hocuspocus.documents.get(name)!)).toString('hex');
    const stored = async () => Buffer.from((await s.storage.dossiers.loadSectionState(dossierId, 'ausgangslage'))!).toString('hex');
    const [liveBefore, storedBefore] = [live(), await stored()];

    for (const edit of [
      (doc: Y.Doc) => typeInto(doc, 'Text \u0000 mit NUL'),
      (doc: Y.Doc) => doc.getXmlFragment('content').insert(0, [new Y.XmlElement('para\u0001graph')]),
    ]) {
      const attacker = await RawSyncClient.connect(s.wsUrl, lead.cookie);
      cleanups.push(() => attacker.close());
      expect(await attacker.authenticate(name)).toBe('authenticated:read-write');
      const copy = await attacker.fetchDocument(name);
      attacker.sendEdit(name, copy, edit);
      await waitFor(() => attacker.received.some((m) => m.type === MessageType.Close), { message: 'the document connection was not closed' });
      expect(attacker.received.find((m) => m.type === MessageType.Close)!.summary).toBe('invalid-text');
    }
    expect(live()).toBe(liveBefore);
    typeInto(editor.doc(name), ' Nachher.');
    await editor.storedAll(name);
    expect(await stored()).not.toBe(storedBefore);
    const { body } = await api(s.url, `/api/dossiers/${dossierId}`, { session: lead });
    expect(JSON.stringify(body)).not.toMatch(/\\u0000|\\u0001/);
  });
});

describe('the archival file', () => {
  it('keeps its XMP parseable whatever the stored title holds', async () => {
    const title = 'Tom & Jerry <"Straße"> \'ÄÖÜ\' \u0001\uffff';
    const { pdf } = await renderDossier({}, { title, mode: 'final' });
    const xmp = new XmlDocument(xmpPacket(pdf));
    const stored = xmp
      .childNamed('rdf:RDF')
      ?.childrenNamed('rdf:Description')
      .map((node) => node.valueWithPath('dc:title.rdf:Alt.rdf:li'))
      .find(Boolean);
    expect(stored).toBe('Tom & Jerry <"Straße"> \'ÄÖÜ\' ');
  });
});

describe('pasted text', () => {
  it('turns Word’s breaks into line breaks and drops what a Vorlage cannot hold', () => {
    expect(cleanText('Zeile 1\u000bZeile 2\u000cSeite 2')).toBe('Zeile 1\nZeile 2\nSeite 2');
    expect(cleanText('a\u0000b\u0007c\uffffd')).toBe('abcd');
    expect(cleanText('halb \ud800 ganz 😀')).toBe('halb \ufffd ganz 😀');
    expect(cleanText('Tab\tund\r\nZeile ß')).toBe('Tab\tund\r\nZeile ß');
  });
});
