/**
 * Councillors (role reader only) get a Vorlage when it is released, as from a
 * council information system: a draft in progress is neither listed nor
 * shown nor opened on the socket; the released Vorlage is, read-only; a
 * Neufassung in progress is hidden from them again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentName } from '../../dossier/layout';
import { RawSyncClient } from '../support/raw-sync';
import { api, login, startTestServer, users, type TestServer } from '../support/server';
import { completeDossier, signAll, startCosigning } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('readers', () => {
  it('see a Vorlage once it is released, not while it is drafted or co-signed', async () => {
    const dossierId = await completeDossier(server, { involvedDepartmentIds: [] });
    const [lead, clerk, reader] = await Promise.all([login(server.url, users.lead), login(server.url, users.clerk), login(server.url, users.reader)]);
    const visible = async () => {
      const list = await api(server.url, '/api/dossiers', { session: reader });
      const view = await api(server.url, `/api/dossiers/${dossierId}`, { session: reader });
      const socket = await RawSyncClient.connect(server.wsUrl, reader.cookie);
      const opened = await socket.authenticate(documentName(dossierId, 'ausgangslage'));
      socket.close();
      return { listed: list.body.some((d: { id: string }) => d.id === dossierId), status: view.status, opened };
    };
    expect(await visible()).toEqual({ listed: false, status: 404, opened: 'denied:unknown-document' });
    await startCosigning(server, lead, dossierId);
    await signAll(server, dossierId, ['kaemmerei']);
    expect(await visible()).toEqual({ listed: false, status: 404, opened: 'denied:unknown-document' });
    expect((await api(server.url, `/api/dossiers/${dossierId}/release`, { method: 'POST', session: clerk, json: {} })).status).toBe(201);
    expect(await visible()).toEqual({ listed: true, status: 200, opened: 'authenticated:readonly' });
    expect((await api(server.url, `/api/dossiers/${dossierId}/versions`, { session: reader })).body).toHaveLength(1);
    expect((await api(server.url, `/api/dossiers/${dossierId}/revision`, { method: 'POST', session: lead })).status).toBe(200);
    expect(await visible()).toEqual({ listed: false, status: 404, opened: 'denied:unknown-document' });
  }, 90_000);
});
