/**
 * The frame check of the collaboration WebSocket and the update check per document, in-process on frames
 * and updates encoded with the real lib0, y-protocols and Yjs encoders.
 */
import { inspect } from 'node:util';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../dossier/close-codes';
import { checkFrame, printable } from '../../server/collab/frames';
import { Refusal } from '../../server/collab/refusal';
import { bringsNegativeNumber, UpdateValidation } from '../../server/collab/update-validation';
import type { BudgetLine } from '../../dossier/content';
import { budgetLineToY, budgetRoots } from '../../dossier/layout';

/** A frame: the address, the message type, then whatever `body` writes. */
function frame(address: string, type: number, body: (encoder: encoding.Encoder) => void = () => {}): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, type);
  body(encoder);
  return encoding.toUint8Array(encoder);
}
const sync = (subtype: number, payload: Uint8Array) => (encoder: encoding.Encoder) => {
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
};

function anUpdate(text = 'Betreff'): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('frames a client may send', () => {
  it('reads the document name of the address, without the session id after \\0', () => {
    expect(checkFrame(frame('d1/kopf', 3))).toEqual({ ok: true, documentName: 'd1/kopf', edit: false });
    expect(checkFrame(frame('d1/kopf\0sitzung-7', 7))).toEqual({ ok: true, documentName: 'd1/kopf', edit: false });
  });

  it('counts sync step 2 and updates that carry changes as edits, not sync step 1 or empty updates', () => {
    const update = anUpdate();
    expect(checkFrame(frame('d1/kopf', 0, sync(0, Y.encodeStateVector(new Y.Doc()))))).toEqual({ ok: true, documentName: 'd1/kopf', edit: false });
    expect(checkFrame(frame('d1/kopf', 0, sync(1, update)))).toEqual({ ok: true, documentName: 'd1/kopf', edit: true });
    expect(checkFrame(frame('d1/kopf', 4, sync(2, update)))).toEqual({ ok: true, documentName: 'd1/kopf', edit: true });
    // an empty update is two bytes: no structs, no deletions
    expect(checkFrame(frame('d1/kopf', 0, sync(2, Y.encodeStateAsUpdate(new Y.Doc()))))).toEqual({ ok: true, documentName: 'd1/kopf', edit: false });
    expect(checkFrame(frame('d1/kopf', 0, sync(2, new Uint8Array([0, 0, 0]))))).toMatchObject({ edit: true });
  });

  it('accepts awareness, auth (with and without a second field), stateless, awareness queries and close', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Jana' } });
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    expect(checkFrame(frame('d1', 1, (e) => encoding.writeVarUint8Array(e, update)))).toEqual({ ok: true, documentName: 'd1', edit: false });
    expect(
      checkFrame(
        frame('d1', 2, (e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, 'token');
        }),
      ),
    ).toEqual({ ok: true, documentName: 'd1', edit: false });
    expect(
      checkFrame(
        frame('d1', 2, (e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, 'token');
          encoding.writeVarString(e, 'scope');
        }),
      ),
    ).toMatchObject({ ok: true });
    expect(checkFrame(frame('d1', 5, (e) => encoding.writeVarString(e, '{"ping":1}')))).toEqual({ ok: true, documentName: 'd1', edit: false });
  });

  it('refuses empty, overlong and forged addresses', () => {
    expect(checkFrame(frame('', 3))).toEqual({ ok: false, problem: 'document address of length 0' });
    expect(checkFrame(frame('a'.repeat(300), 3))).toMatchObject({ ok: true });
    expect(checkFrame(frame('a'.repeat(301), 3))).toEqual({ ok: false, problem: 'document address of length 301' });
    for (const forged of ['d1\nINFO gefälscht', 'd1\u0085', 'd1\u2028', 'd1\u007f', 'd1\0a\0b']) {
      const check = checkFrame(frame(forged, 3));
      expect(check.ok, JSON.stringify(forged)).toBe(false);
      expect((check as { problem: string }).problem).toMatch(/^document address with control characters "/);
    }
  });

  it('refuses message types and sync subtypes clients do not send, and frames it cannot read', () => {
    expect(checkFrame(frame('d1', 6))).toEqual({ ok: false, problem: 'message type 6, which clients do not send' });
    expect(checkFrame(frame('d1', 0, sync(3, anUpdate())))).toEqual({ ok: false, problem: 'sync message of subtype 3' });
    expect(checkFrame(frame('d1', 1, (e) => encoding.writeVarUint8Array(e, new Uint8Array([1, 1, 1, 3, 0x7b, 0x7b, 0x7b]))))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^unreadable frame \(/),
    });
    expect(checkFrame(new Uint8Array([5, 0x64]))).toMatchObject({ ok: false, problem: expect.stringMatching(/^unreadable frame/) });
    expect(checkFrame(frame('d1', 5))).toMatchObject({ ok: false });
  });
});

describe('log lines of refusals', () => {
  it('escape control and line separator characters', () => {
    expect(printable('a\nb\u0085c\u2028d\u2029e\u007f')).toBe('"a\\nb\\u0085c\\u2028d\\u2029e\\u007f"');
    expect(inspect(new Refusal('invalid-update', 'Zeile\nzwei', 4400))).toBe('refused (invalid-update): "Zeile\\nzwei"');
    expect(new Refusal('x', 'y')).not.toBeInstanceOf(Error);
  });
});

describe('updates a document accepts', () => {
  const validation = new UpdateValidation();
  // a text section's document (empty): no budget lines in it
  const check = (type: number, payload: Uint8Array, document = new Y.Doc()) =>
    validation.beforeSync({ type, payload, documentName: 'd1/betreff', document } as unknown as Parameters<UpdateValidation['beforeSync']>[0]);
  const refusal = async (type: number, payload: Uint8Array, document?: Y.Doc) => {
    const thrown = await check(type, payload, document).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Refusal);
    return thrown as Refusal;
  };

  it('lets readable updates and state vectors through', async () => {
    await expect(check(0, Y.encodeStateVector(new Y.Doc()))).resolves.toBeUndefined();
    await expect(check(1, anUpdate())).resolves.toBeUndefined();
    await expect(check(2, anUpdate('Haushalt 2027 – 164.300 €'))).resolves.toBeUndefined();
  });

  it('closes the document connection on an update or state vector it cannot decode', async () => {
    const corrupt = await refusal(2, new Uint8Array([9, 9, 9]));
    expect(corrupt.reason).toBe('invalid-update');
    expect(corrupt.code).toBe(CloseCode.invalidMessage);
    expect(corrupt.detail).toMatch(/^corrupt sync message \(type 2\) for d1\/betreff: /);
    expect((await refusal(0, new Uint8Array([5, 1]))).detail).toMatch(/type 0/);
  });

  it('refuses control characters anywhere an update brings text: content, keys, formatting, values, names', async () => {
    const updates: [string, (doc: Y.Doc) => void][] = [
      ['text', (doc) => doc.getText('t').insert(0, 'a\u0001b')],
      ['format', (doc) => doc.getText('t').insert(0, 'a', { 'fe\u0002tt': true })],
      ['format value', (doc) => doc.getText('t').insert(0, 'a', { bold: 'x\u0003' })],
      ['map key', (doc) => doc.getMap('m').set('k\u0004', 'v')],
      ['map value', (doc) => doc.getMap('m').set('k', { nested: ['fine', 'x\u0005'] })],
      ['object key', (doc) => doc.getMap('m').set('k', { fine: 1, 'n\u0006': 1 })],
      ['object value', (doc) => doc.getMap('m').set('k', { fine: 'ja', bad: 'y\u0007' })],
      ['root name', (doc) => doc.getText('t\u0007').insert(0, 'a')],
      ['element name', (doc) => doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p\u0008')])],
      ['embed', (doc) => doc.getText('t').insertEmbed(0, { bild: 'x\u000e' })],
    ];
    for (const [what, change] of updates) {
      const doc = new Y.Doc();
      change(doc);
      const refused = await refusal(1, Y.encodeStateAsUpdate(doc));
      expect(refused.reason, what).toBe('invalid-text');
      expect(refused.detail).toBe('update for d1/betreff with control characters');
      expect(refused.code).toBe(CloseCode.invalidMessage);
    }
    const fine = new Y.Doc();
    fine.getText('t').insert(0, 'Zeile eins\nZeile zwei\tTab', { bold: true });
    fine.getMap('m').set('k', { nested: ['x', 1, null] });
    fine.getXmlFragment('x').insert(0, [new Y.XmlElement('paragraph')]);
    // content that brings no text: deleted items, binary values
    fine.getText('t').delete(0, 6);
    fine.getMap('m').set('bytes', new Uint8Array([1, 2, 3]));
    await expect(check(1, Y.encodeStateAsUpdate(fine))).resolves.toBeUndefined();
  });

  describe('negative amounts', () => {
    const line = (id: string, amounts: Record<string, number>): BudgetLine => ({
      id,
      costType: 'sach',
      recurrence: 'laufend',
      description: `Zeile ${id}`,
      account: { produkt: '1.1.1.08', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
      amounts,
    });
    /** A client's copy of the server's document. */
    const copyOf = (document: Y.Doc) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(document));
      return copy;
    };
    /** A budget section's document with these lines, and a copy a client edits. */
    const budget = (...lines: BudgetLine[]) => {
      const document = new Y.Doc();
      budgetRoots(document).lines.push(lines.map((l) => budgetLineToY(l)));
      return { document, client: copyOf(document) };
    };
    /** Why the document refuses an update (it must refuse it). */
    const reasonFor = async (update: Uint8Array, document: Y.Doc) => (await refusal(2, update, document)).reason;
    /** The update `edit` makes on the client's copy. */
    const editOf = (client: Y.Doc, edit: (doc: Y.Doc) => void) => {
      const before = Y.encodeStateVector(client);
      edit(client);
      return Y.encodeStateAsUpdate(client, before);
    };
    const amounts = (doc: Y.Doc, index: number) => budgetRoots(doc).lines.get(index).get('amounts') as Y.Map<number>;

    it('are refused in an existing cell and in a new line, as sync step 2 and as update', async () => {
      const { document, client } = budget(line('miete', { 2027: 50_000 }));
      const overwritten = editOf(client, (doc) => amounts(doc, 0).set('2027', -20_000));
      for (const type of [1, 2]) {
        const refused = await refusal(type, overwritten, document);
        expect(refused.reason).toBe('invalid-amount');
        expect(refused.detail).toBe('update for d1/betreff with a negative amount');
        expect(refused.code).toBe(CloseCode.invalidMessage);
      }
      const added = editOf(budget().client, (doc) => budgetRoots(doc).lines.push([budgetLineToY(line('gutschrift', { 2028: -1 }))]));
      expect(await reasonFor(added, budget().document)).toBe('invalid-amount');
    });

    it('leave a negative amount stored before the rule readable, and refuse a new one in any other cell', async () => {
      const { document, client } = budget(line('alt', { 2027: -500 }), line('miete', { 2027: 50_000 }));
      // editing around the old amount is fine
      const positive = editOf(client, (doc) => amounts(doc, 1).set('2028', 1_000));
      await expect(check(2, positive, document)).resolves.toBeUndefined();
      Y.applyUpdate(document, positive);
      // a new negative amount elsewhere, in the same line or in another one, is not
      expect(
        await reasonFor(
          editOf(client, (doc) => amounts(doc, 0).set('2028', -1)),
          document,
        ),
      ).toBe('invalid-amount');
      expect(
        await reasonFor(
          editOf(copyOf(document), (doc) => amounts(doc, 1).set('2027', -1)),
          document,
        ),
      ).toBe('invalid-amount');
    });

    it('count only in budget lines: a negative number elsewhere (a text section’s attribute) is no amount', async () => {
      const text = budget();
      await expect(
        check(
          2,
          editOf(text.client, (doc) => doc.getMap('attrs').set('start', -3)),
          text.document,
        ),
      ).resolves.toBeUndefined();
      // in a budget, only the amounts of its lines
      const { document, client } = budget(line('miete', { 2027: 50_000 }));
      await expect(
        check(
          2,
          editOf(client, (doc) => budgetRoots(doc).settings.set('unbekannt', -3)),
          document,
        ),
      ).resolves.toBeUndefined();
      await expect(
        check(
          2,
          editOf(client, (doc) => budgetRoots(doc).lines.get(0).set('order', -3)),
          document,
        ),
      ).resolves.toBeUndefined();
    });
  });

  it('only an update that carries a negative number is tried on a copy of the document', () => {
    const structs = (edit: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc();
      edit(doc);
      return Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).structs;
    };
    const brings = (edit: (doc: Y.Doc) => void) => structs(edit).some(bringsNegativeNumber);
    expect(brings((doc) => doc.getMap('m').set('a', -0.01))).toBe(true);
    expect(brings((doc) => doc.getArray('a').push(['x', -7]))).toBe(true);
    expect(brings((doc) => doc.getMap('m').set('a', 0))).toBe(false);
    expect(brings((doc) => doc.getMap('m').set('a', 12_500))).toBe(false);
    expect(brings((doc) => doc.getMap('m').set('a', '-5'))).toBe(false);
    expect(brings((doc) => doc.getText('t').insert(0, '-5'))).toBe(false);
    // a deleted negative number is sent without its content
    expect(
      brings((doc) => {
        doc.getArray('a').push([-1]);
        doc.getArray('a').delete(0, 1);
      }),
    ).toBe(false);
  });
});
