/**
 * What the Mitzeichnung and release routes say when a step is not someone's to take or not
 * possible now: the status and the German message each user sees, for each step. The happy
 * paths are in whole-path.test.ts and release.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, sessionsOn, type Session, startTestServer, users, type TestServer } from '../support/server';
import { completeDossier, sign, signAll, startCosigning } from './support';

let server: TestServer;
let lead: Session;
const session = sessionsOn(() => server.url);
const step = async (username: string, method: string, path: string, json?: unknown) => {
  const answer = await api(server.url, path, { method, session: await session(username), ...(json === undefined ? {} : { json }) });
  return { http: answer.status, body: answer.body as Record<string, unknown> };
};

beforeAll(async () => {
  server = await startTestServer();
  lead = await session(users.lead);
});
afterAll(() => server?.close());

describe('refused workflow steps', () => {
  it('leaves starting, stopping and restarting the Mitzeichnung to the lead, each in its status', async () => {
    const id = await completeDossier(server, { title: 'Schritte der Federführung' });
    const path = `/api/dossiers/${id}`;
    expect(await step(users.finance, 'POST', `${path}/cosigning`)).toEqual({
      http: 403,
      body: { error: 'Die Mitzeichnung starten kann nur die federführende Dienststelle.' },
    });
    expect(await step(users.lead, 'DELETE', `${path}/cosigning`)).toEqual({
      http: 409,
      body: { error: 'Die Mitzeichnung zurücknehmen ist im Status „Entwurf“ nicht möglich.' },
    });
    expect(await step(users.lead, 'POST', `${path}/revision`)).toEqual({
      http: 409,
      body: { error: 'Eine Neufassung beginnen ist im Status „Entwurf“ nicht möglich.' },
    });
    await startCosigning(server, lead, id);
    expect(await step(users.lead, 'POST', `${path}/cosigning`)).toEqual({
      http: 409,
      body: { error: 'Die Mitzeichnung starten ist im Status „In Mitzeichnung“ nicht möglich.' },
    });
    expect(await step(users.legal, 'DELETE', `${path}/cosigning`)).toEqual({
      http: 403,
      body: { error: 'Die Mitzeichnung zurücknehmen kann nur die federführende Dienststelle.' },
    });
    expect(await step(users.lead, 'DELETE', `${path}/cosigning`)).toEqual({ http: 200, body: { status: 'draft' } });
  });

  it('lets only a signatory of a department asked to co-sign sign, during the Mitzeichnung, with a reason for anything but agreement', async () => {
    const id = await completeDossier(server, { title: 'Schritte der Mitzeichnung' });
    const path = `/api/dossiers/${id}/signatures`;
    const draft = await sign(server, await session(users.signatoryFinance), id);
    expect([draft.status, draft.body.error]).toEqual([409, 'Mitzeichnen geht nur in der Mitzeichnung; die Vorlage ist „Entwurf“.']);
    await startCosigning(server, lead, id);
    for (const username of [users.lead, users.signatoryLead, users.clerk]) {
      const refused = await sign(server, await session(username), id);
      expect([username, refused.status, refused.body.error]).toEqual([
        username,
        403,
        'Mitzeichnen kann nur, wer für eine um Mitzeichnung gebetene Dienststelle zeichnungsbefugt ist.',
      ]);
    }
    const objection = await sign(server, await session(users.signatoryLegal), id, 'object', '   ');
    expect(objection.status).toBe(400);
    expect(objection.body.details).toEqual([{ field: 'remark', message: 'Anmerkungen oder ein Einwand brauchen eine Begründung.' }]);
    const long = await step(users.signatoryLegal, 'POST', path, { contentHashes: {}, decision: 'agree-with-remarks', remark: 'x'.repeat(4001) });
    expect(long).toMatchObject({ http: 400, body: { details: [{ field: 'remark', message: 'Höchstens 4000 Zeichen.' }] } });
    // with a reason, an objection is taken
    expect((await sign(server, await session(users.signatoryLegal), id, 'object', 'Die Kündigungsfrist fehlt.')).status).toBe(201);
  });

  it('leaves the release to the clerks, once the Mitzeichnung is complete', async () => {
    const id = await completeDossier(server, { title: 'Schritte der Freigabe' });
    const path = `/api/dossiers/${id}/release`;
    expect(await step(users.lead, 'POST', path, {})).toEqual({ http: 403, body: { error: 'Freigeben kann nur der Sitzungsdienst.' } });
    expect(await step(users.clerk, 'POST', path, {})).toEqual({
      http: 409,
      body: { error: 'Freigeben geht nur in der Mitzeichnung; die Vorlage ist „Entwurf“.', reasons: ['Die Vorlage ist nicht in der Mitzeichnung.'] },
    });
    await startCosigning(server, lead, id);
    await signAll(server, id);
    expect(await step(users.clerk, 'POST', path, { referenceNumber: 'VO/26/00777/SC' })).toMatchObject({
      http: 201,
      body: { referenceNumber: 'VO/26/00777/SC' },
    });
    // the number is taken now: another dossier cannot have it
    const other = await completeDossier(server, { title: 'Mit vergebener Nummer' });
    await startCosigning(server, lead, other);
    await signAll(server, other);
    expect(await step(users.clerk, 'POST', `/api/dossiers/${other}/release`, { referenceNumber: 'VO/26/00777/SC' })).toEqual({
      http: 409,
      body: {
        error: 'Vorlagen-Nr. VO/26/00777/SC ist schon vergeben. Bitte eine andere wählen.',
        reasons: ['Vorlagen-Nr. VO/26/00777/SC ist schon vergeben.'],
      },
    });
    // released: a Neufassung is the lead's to begin
    expect(await step(users.clerk, 'POST', `/api/dossiers/${id}/revision`)).toEqual({
      http: 403,
      body: { error: 'Eine Neufassung beginnen kann nur die federführende Dienststelle.' },
    });
  });
});
