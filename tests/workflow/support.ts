/**
 * Workflow test support: a complete dossier (the demo Vorlage's content,
 * stored by the server's own createDossier), and signing as a signer's client
 * does — with the content hashes the dossier view shows.
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { demoContents } from '../../server/demo/labor-der-kreativen-koepfe';
import { createDossier, type SectionContents } from '../../server/dossiers/create';
import { loadTemplates } from '../../server/templates/loader';
import { readSection } from '../../dossier/layout';
import { findSection } from '../../dossier/template';
import { api, login, projectRoot, users, waitFor, type Session, type TestServer } from '../support/server';

export const templates = await loadTemplates(join(projectRoot, 'templates'));
export const template = templates.get('verstetigung-smart-city')!;

/** Departments the demo dossier involves, and who signs for each. */
export const involved = ['kaemmerei', 'personalamt', 'rechtsamt', 'klimaschutz'] as const;
export const signatoryOf: Record<(typeof involved)[number], string> = {
  kaemmerei: users.signatoryFinance,
  personalamt: users.signatoryHr,
  rechtsamt: users.signatoryLegal,
  klimaschutz: users.signatoryClimate,
};

/** A dossier led by the smart-city office with every required section filled (or those in `leaveEmpty` as the template seeds them). */
export async function completeDossier(
  server: TestServer,
  options: { title?: string; involvedDepartmentIds?: string[]; leaveEmpty?: string[]; contents?: SectionContents } = {},
): Promise<string> {
  const contents: SectionContents = { ...demoContents, ...options.contents };
  for (const id of options.leaveEmpty ?? []) delete contents[id];
  const dossier = await createDossier(server.storage, template, {
    title: options.title ?? 'Verstetigung des Reallabors',
    contents,
    leadDepartmentId: 'smart-city',
    involvedDepartmentIds: options.involvedDepartmentIds ?? [...involved],
  });
  return dossier.id;
}

/** The content hashes the dossier view shows the user now. */
export async function shownHashes(server: TestServer, session: Session, dossierId: string): Promise<Record<string, string>> {
  const { status, body } = await api(server.url, `/api/dossiers/${dossierId}`, { session });
  if (status !== 200) throw new Error(`reading ${dossierId} failed: ${status} ${JSON.stringify(body)}`);
  return Object.fromEntries((body.sections as { id: string; contentHash: string }[]).map((section) => [section.id, section.contentHash]));
}

/** Signs as the user, with the hashes their view shows. */
export async function sign(server: TestServer, session: Session, dossierId: string, decision = 'agree', remark?: string) {
  const contentHashes = await shownHashes(server, session, dossierId);
  return api(server.url, `/api/dossiers/${dossierId}/signatures`, {
    method: 'POST',
    session,
    json: { contentHashes, decision, ...(remark ? { remark } : {}) },
  });
}

/** Every involved department signs (agree); returns the signatories' sessions. */
export async function signAll(
  server: TestServer,
  dossierId: string,
  departments: readonly (typeof involved)[number][] = involved,
): Promise<Record<string, Session>> {
  const sessions: Record<string, Session> = {};
  for (const department of departments) {
    sessions[department] = await login(server.url, signatoryOf[department]);
    const signed = await sign(server, sessions[department]!, dossierId);
    if (signed.status !== 201) throw new Error(`${department} could not sign: ${signed.status} ${JSON.stringify(signed.body)}`);
  }
  return sessions;
}

export async function startCosigning(server: TestServer, lead: Session, dossierId: string): Promise<void> {
  const { status, body } = await api(server.url, `/api/dossiers/${dossierId}/cosigning`, { method: 'POST', session: lead });
  if (status !== 200) throw new Error(`starting co-signing failed: ${status} ${JSON.stringify(body)}`);
}

/** A section as stored: its Yjs state and what that state reads as, beside the stored JSON. */
export async function storedSection(server: TestServer, dossierId: string, sectionId: string) {
  const state = (await server.storage.dossiers.loadSectionState(dossierId, sectionId))!;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const fromState = readSection(doc, findSection(template, sectionId)!);
  doc.destroy();
  const content = (await server.storage.dossiers.getSectionContents(dossierId)).get(sectionId)?.content;
  return { state, fromState, content };
}

export async function auditOf(server: TestServer, dossierId: string) {
  return (await server.storage.audit.list({ dossierId, limit: 500 })).reverse();
}

export { waitFor };
