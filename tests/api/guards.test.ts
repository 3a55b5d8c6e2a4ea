/**
 * What every router asks first (server/api/guards.ts), called directly: who is signed in, and
 * whether a dossier may be seen. The routes behind them are tested against a real server in
 * rest.test.ts and confidentiality.test.ts; here, what those cannot reach.
 */
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { assertVisible, signedIn } from '../../server/api/guards';
import type { DossierRecord } from '../../server/storage/storage';
import type { Actor } from '../../dossier/policy';

const reader: Actor = { id: 'u-ratsmitglied', roles: ['reader'], departmentId: 'rat', departmentFunction: 'council' };

describe('guards', () => {
  it('asks for a sign-in when a route is reached without a session', () => {
    // requireSession answers 401 before any router; this is the guard behind it
    expect(() => signedIn({ locals: {} } as Response)).toThrow(expect.objectContaining({ status: 401, message: 'Bitte anmelden.' }));
  });

  it('answers a dossier that does not exist with its id, cut to 80 characters', () => {
    const id = `d-${'x'.repeat(200)}`;
    expect(() => assertVisible(reader, undefined, id)).toThrow(
      expect.objectContaining({ status: 404, message: `Vorlage "${id.slice(0, 80)}" gibt es nicht.` }),
    );
  });

  it('answers a dossier the user may not see exactly like one that does not exist', () => {
    const hidden: DossierRecord = {
      id: 'd-geheim',
      templateId: 'verstetigung-smart-city',
      title: 'Nichtöffentliche Vorlage',
      status: 'released',
      referenceNumber: 'VO/26/00001/SC',
      leadDepartmentId: 'smart-city',
      involvedDepartmentIds: ['kaemmerei'],
      public: false,
      revision: 1,
      createdAt: '2026-12-01T09:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
    };
    // the same dossier, öffentlich, is the council member's to see
    expect(assertVisible(reader, { ...hidden, public: true }, hidden.id).id).toBe('d-geheim');
    expect(() => assertVisible(reader, hidden, hidden.id)).toThrow(expect.objectContaining({ status: 404, message: 'Vorlage "d-geheim" gibt es nicht.' }));
  });
});
