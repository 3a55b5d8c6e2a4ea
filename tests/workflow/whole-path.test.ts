/**
 * The whole path of issue 11 on a real server: write, start co-signing, every
 * department signs, the lead changes a signed section through a provider
 * client and exactly the signatures covering it turn invalid (live, and on
 * the REST API), re-sign, the clerk releases, nothing can be written any more
 * (a raw-protocol write is refused, the stored state stays byte-identical),
 * the version's PDF downloads as the stored bytes, and a Neufassung released
 * again is version 2 while version 1 stays as it was.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName, readMitzeichnung } from '../../dossier/layout';
import { RawSyncClient } from '../support/raw-sync';
import { api, login, startTestServer, TestClient, typeInto, users, waitFor, type TestServer } from '../support/server';
import { auditOf, completeDossier, involved, sign, signatoryOf, startCosigning, storedSection, template } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const pdfOf = async (path: string, session: Awaited<ReturnType<typeof login>>) => {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  return { status: response.status, sha256: response.headers.get('x-pdf-sha256'), bytes: Buffer.from(await response.arrayBuffer()) };
};

describe('co-signing bound to the content, release and versions', () => {
  it('runs from the first text to version 2', async () => {
    const dossierId = await completeDossier(server, { leaveEmpty: ['alternativen'] });
    const [lead, clerk] = await Promise.all([login(server.url, users.lead), login(server.url, users.clerk)]);
    const signers = Object.fromEntries(await Promise.all(involved.map(async (d) => [d, await login(server.url, signatoryOf[d])] as const)));

    // the lead writes the missing section live
    const editor = new TestClient(server.wsUrl, lead);
    const alternativen = documentName(dossierId, 'alternativen');
    const ausgangslage = documentName(dossierId, 'ausgangslage');
    const mitzeichnung = documentName(dossierId, 'mitzeichnung');
    for (const name of [alternativen, ausgangslage, mitzeichnung]) editor.open(name);
    for (const name of [alternativen, ausgangslage, mitzeichnung]) await editor.synced(name);
    typeInto(editor.doc(alternativen), 'Ohne Verstetigung schließt das Labor Ende 2026.');
    await editor.storedAll(alternativen);
    expect((await api(server.url, `/api/dossiers/${dossierId}/completeness`, { session: lead })).body.items).toContainEqual(
      expect.objectContaining({ id: 'section:alternativen', ok: true }),
    );

    await startCosigning(server, lead, dossierId);
    for (const department of involved) expect((await sign(server, signers[department]!, dossierId)).status, department).toBe(201);
    const signed = await api(server.url, `/api/dossiers/${dossierId}/signatures`, { session: lead });
    expect(signed.body.map((s: { departmentId: string; state: string }) => [s.departmentId, s.state])).toEqual(involved.map((d) => [d, 'valid']));
    expect(signed.body.find((s: { departmentId: string }) => s.departmentId === 'kaemmerei').sections).toHaveProperty('finanzen');
    expect(Object.keys(signed.body.find((s: { departmentId: string }) => s.departmentId === 'kaemmerei').sections).sort()).toEqual([
      'beschlussvorschlag',
      'finanzen',
    ]);
    await waitFor(() => readMitzeichnung(editor.doc(mitzeichnung)).items.length === involved.length);

    // the lead changes a section the finance office did not sign
    typeInto(editor.doc(ausgangslage), ' Nachtrag nach der Mitzeichnung.');
    const covering = ['personalamt', 'rechtsamt', 'klimaschutz'];
    await waitFor(() => readMitzeichnung(editor.doc(mitzeichnung)).items.filter((item) => item.state === 'invalid').length === covering.length, {
      message: () => JSON.stringify(readMitzeichnung(editor.doc(mitzeichnung)).items),
    });
    const live = readMitzeichnung(editor.doc(mitzeichnung)).items;
    expect(live.filter((item) => item.state === 'invalid').map((item) => [item.departmentId, item.changedSections])).toEqual(
      covering.map((d) => [d, ['ausgangslage']]),
    );
    const invalidated = await api(server.url, `/api/dossiers/${dossierId}/signatures`, { session: lead });
    expect(
      invalidated.body.map((s: { departmentId: string; state: string; changedSections: string[] }) => [s.departmentId, s.state, s.changedSections]),
    ).toEqual([['kaemmerei', 'valid', []], ...covering.map((d) => [d, 'invalid', ['ausgangslage']])]);
    await waitFor(async () => (await auditOf(server, dossierId)).filter((row) => row.action === 'signature.invalidated').length === covering.length);
    // the audit log names the department and the changed sections by their titles
    const departmentNames = new Map((await server.storage.accounts.listDepartments()).map((department) => [department.id, department.name]));
    const auditView = await api(server.url, `/api/audit?dossierId=${dossierId}`, { session: await login(server.url, users.admin) });
    expect(
      auditView.body
        .filter((row: { action: string }) => row.action === 'signature.invalidated')
        .map((row: { departmentName: string; sectionTitles: string[] }) => [row.departmentName, row.sectionTitles])
        .sort(),
    ).toEqual(covering.map((d) => [departmentNames.get(d), ['Ausgangslage und Problem']]).sort());
    const changedRow = auditView.body.find(
      (row: { action: string; sectionId: string }) => row.action === 'section.changed' && row.sectionId === 'ausgangslage',
    );
    expect(changedRow).toMatchObject({ sectionTitle: 'Ausgangslage und Problem', dossierTitle: expect.any(String), sectionTitles: null });
    expect(changedRow.dossierTitle.length).toBeGreaterThan(0);
    const readiness = await api(server.url, `/api/dossiers/${dossierId}/completeness`, { session: clerk });
    expect(readiness.body.ready).toBe(false);
    expect((await api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} })).status).toBe(409);

    // the department sees word by word what changed since it signed (the server kept what was signed), from any device
    const changes = await api(server.url, `/api/dossiers/${dossierId}/signatures/${covering[0]}/changes`, { session: signers[covering[0]!]! });
    expect(changes.status).toBe(200);
    expect(changes.body.map((section: { sectionId: string }) => section.sectionId)).toEqual(['ausgangslage']);
    expect(changes.body[0].diff.filter((part: { op: string }) => part.op !== 'equal')).toEqual([{ op: 'insert', text: ' Nachtrag nach der Mitzeichnung.' }]);
    const unchanged = await api(server.url, `/api/dossiers/${dossierId}/signatures/kaemmerei/changes`, { session: lead });
    expect(unchanged.body).toEqual([]);
    // a department that has not signed (or does not exist) has nothing to compare: a 404 that says so
    for (const departmentId of ['sitzungsdienst', 'gibt-es-nicht']) {
      const none = await api(server.url, `/api/dossiers/${dossierId}/signatures/${departmentId}/changes`, { session: lead });
      expect(none.status).toBe(404);
      expect(none.body.error).toMatch(/nicht mitgezeichnet/);
    }

    // they look again and re-sign
    for (const department of covering) expect((await sign(server, signers[department]!, dossierId)).status).toBe(201);
    await waitFor(() => readMitzeichnung(editor.doc(mitzeichnung)).items.every((item) => item.state === 'valid'));
    expect((await api(server.url, `/api/dossiers/${dossierId}/completeness`, { session: clerk })).body.ready).toBe(true);

    // release: 201, the editors turn read-only without a reload
    const released = await api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} });
    expect(released.status, JSON.stringify(released.body)).toBe(201);
    expect(released.body).toMatchObject({
      version: 1,
      referenceNumber: expect.stringMatching(/^VO\/\d{2}\/\d{5}\/SC$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await waitFor(() => editor.readOnly.get(alternativen) === true && editor.readOnly.get(ausgangslage) === true);
    await waitFor(() => readMitzeichnung(editor.doc(mitzeichnung)).status === 'released');
    expect(readMitzeichnung(editor.doc(mitzeichnung))).toMatchObject({ version: 1, referenceNumber: released.body.referenceNumber });

    // nobody writes any more, the admin included: every section refuses a raw-protocol write, the stored state stays byte-identical
    const before = await Promise.all(template.sections.map((section) => storedSection(server, dossierId, section.id)));
    const admin = await RawSyncClient.connect(server.wsUrl, (await login(server.url, users.admin)).cookie);
    for (const section of template.sections) {
      const name = documentName(dossierId, section.id);
      expect(await admin.authenticate(name), section.id).toBe('authenticated:readonly');
      const copy = await admin.fetchDocument(name);
      admin.sendEdit(name, copy, (doc) => doc.getMap('eingeschmuggelt').set('text', 'nach der Freigabe'));
    }
    await waitFor(() => template.sections.every((section) => admin.count(documentName(dossierId, section.id), 'refused') === 1), {
      message: () => JSON.stringify(admin.received.filter((m) => m.summary === 'refused')),
    });
    await server.collaboration.persistence.flushAll(server.collaboration.hocuspocus.documents);
    const after = await Promise.all(template.sections.map((section) => storedSection(server, dossierId, section.id)));
    for (const [i, section] of template.sections.entries()) {
      expect(Buffer.from(after[i]!.state).equals(Buffer.from(before[i]!.state)), section.id).toBe(true);
      expect(after[i]!.content).toEqual(before[i]!.content);
    }
    admin.close();

    // version 1's PDF: the stored bytes, twice the same, with the released hash
    const reader = await login(server.url, users.reader);
    const first = await pdfOf(`/api/dossiers/${dossierId}/export.pdf?version=1`, lead);
    const second = await pdfOf(`/api/dossiers/${dossierId}/export.pdf?version=1`, reader);
    expect(first.status).toBe(200);
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(first.sha256).toBe(released.body.sha256);
    expect(createHash('sha256').update(first.bytes).digest('hex')).toBe(released.body.sha256);
    const versions = await api(server.url, `/api/dossiers/${dossierId}/versions`, { session: lead });
    expect(versions.body).toEqual([
      { version: 1, releasedAt: expect.any(String), releasedBy: 'Petra Schmid', referenceNumber: released.body.referenceNumber, sha256: released.body.sha256 },
    ]);
    const version1 = await api(server.url, `/api/dossiers/${dossierId}/versions/1`, { session: lead });
    expect(version1.body.sections.map((s: { id: string }) => s.id)).toEqual(template.sections.map((s) => s.id));

    // a Neufassung: draft again, changed, co-signed, released as version 2 with the same Vorlagen-Nr.
    expect((await api(server.url, `/api/dossiers/${dossierId}/revision`, { method: 'POST', session: clerk })).status).toBe(403);
    expect(await api(server.url, `/api/dossiers/${dossierId}/revision`, { method: 'POST', session: lead })).toMatchObject({
      status: 200,
      body: { status: 'draft', revision: 2 },
    });
    await waitFor(() => editor.readOnly.get(ausgangslage) === false && readMitzeichnung(editor.doc(mitzeichnung)).items.length === 0);
    expect(
      (await api(server.url, `/api/dossiers/${dossierId}/signatures`, { session: lead })).body.every((s: { state: string }) => s.state === 'pending'),
    ).toBe(true);
    typeInto(editor.doc(ausgangslage), ' Geändert in der Neufassung.');
    await editor.storedAll(ausgangslage);
    await startCosigning(server, lead, dossierId);
    for (const department of involved) expect((await sign(server, signers[department]!, dossierId)).status).toBe(201);
    const second2 = await api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} });
    expect(second2).toMatchObject({ status: 201, body: { version: 2, referenceNumber: released.body.referenceNumber } });
    expect(second2.body.sha256).not.toBe(released.body.sha256);

    const firstAgain = await pdfOf(`/api/dossiers/${dossierId}/export.pdf?version=1`, lead);
    expect(firstAgain.bytes.equals(first.bytes)).toBe(true);
    expect((await api(server.url, `/api/dossiers/${dossierId}/versions/1`, { session: lead })).body).toEqual(version1.body);
    expect(
      (await api(server.url, `/api/dossiers/${dossierId}/versions/2`, { session: lead })).body.sections.find((s: { id: string }) => s.id === 'ausgangslage')
        .content,
    ).not.toEqual(version1.body.sections.find((s: { id: string }) => s.id === 'ausgangslage').content);
    expect((await api(server.url, `/api/dossiers/${dossierId}/versions`, { session: lead })).body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    editor.destroy();
  }, 120_000);
});
