/**
 * The REST surface as the web client and outside scripts use it: every route, each reached at
 * its own path. The test starts its own server (routes are mounted while a server starts, and
 * mutation testing credits that only to a test that starts one) and
 *  - compares the routes Express mounts with the table below, both ways, so a route cannot
 *    move, vanish or appear unnoticed;
 *  - sends each route a request as a signed-in admin (about a dossier that does not exist, or
 *    with an empty body: nothing changes) and checks that a handler answered, not the
 *    "Unbekannte Adresse" of a path where nothing is mounted.
 */
import { expect, it } from 'vitest';
import { mountedRoutes } from '../support/routes';
import { api, login, startTestServer, users } from '../support/server';

const NO_DOSSIER = 'gibtesnicht';

/** Each route, with the path a request to it is sent to. */
const routes: Record<string, string> = {
  'GET /api/health': '/api/health',
  'GET /api/health/live': '/api/health/live',
  'GET /api/health/ready': '/api/health/ready',
  'POST /api/auth/login': '/api/auth/login',
  'GET /api/auth/me': '/api/auth/me',
  'POST /api/auth/logout': '/api/auth/logout',
  'POST /api/auth/password': '/api/auth/password',
  'GET /api/departments': '/api/departments',
  'GET /api/users': '/api/users',
  'POST /api/users': '/api/users',
  'PATCH /api/users/:id': '/api/users/niemand',
  'GET /api/audit': '/api/audit',
  'GET /api/templates': '/api/templates',
  'GET /api/templates/:id': '/api/templates/verstetigung-smart-city',
  'GET /api/search': '/api/search?q=Parkraum',
  'GET /api/dossiers': '/api/dossiers',
  'POST /api/dossiers': '/api/dossiers',
  'GET /api/dossiers/:id': `/api/dossiers/${NO_DOSSIER}`,
  'GET /api/dossiers/:id/budget.csv': `/api/dossiers/${NO_DOSSIER}/budget.csv`,
  'POST /api/dossiers/:id/cosigning': `/api/dossiers/${NO_DOSSIER}/cosigning`,
  'DELETE /api/dossiers/:id/cosigning': `/api/dossiers/${NO_DOSSIER}/cosigning`,
  'POST /api/dossiers/:id/revision': `/api/dossiers/${NO_DOSSIER}/revision`,
  'GET /api/dossiers/:id/signatures': `/api/dossiers/${NO_DOSSIER}/signatures`,
  'GET /api/dossiers/:id/signatures/:departmentId/changes': `/api/dossiers/${NO_DOSSIER}/signatures/kaemmerei/changes`,
  'POST /api/dossiers/:id/signatures': `/api/dossiers/${NO_DOSSIER}/signatures`,
  'GET /api/dossiers/:id/completeness': `/api/dossiers/${NO_DOSSIER}/completeness`,
  'POST /api/dossiers/:id/release': `/api/dossiers/${NO_DOSSIER}/release`,
  'GET /api/dossiers/:id/versions': `/api/dossiers/${NO_DOSSIER}/versions`,
  'GET /api/dossiers/:id/versions/:n': `/api/dossiers/${NO_DOSSIER}/versions/1`,
  'GET /api/dossiers/:id/export.pdf': `/api/dossiers/${NO_DOSSIER}/export.pdf`,
  'GET /api/dossiers/:id/compare': `/api/dossiers/${NO_DOSSIER}/compare?from=current&to=current`,
  'GET /api/dossiers/:id/history': `/api/dossiers/${NO_DOSSIER}/history`,
  'GET /api/dossiers/:id/history/:snapshotId': `/api/dossiers/${NO_DOSSIER}/history/1`,
  'POST /api/dossiers/:id/history/:snapshotId/restore': `/api/dossiers/${NO_DOSSIER}/history/1/restore`,
  'GET /api/dossiers/:id/attachments': `/api/dossiers/${NO_DOSSIER}/attachments`,
  'POST /api/dossiers/:id/attachments': `/api/dossiers/${NO_DOSSIER}/attachments?public=true`,
  'GET /api/dossiers/:id/attachments/:fileId': `/api/dossiers/${NO_DOSSIER}/attachments/datei`,
  'DELETE /api/dossiers/:id/attachments/:fileId': `/api/dossiers/${NO_DOSSIER}/attachments/datei`,
  'GET /api/dossiers/:id/versions/:n/attachments': `/api/dossiers/${NO_DOSSIER}/versions/1/attachments`,
  'GET /api/dossiers/:id/versions/:n/attachments/:fileId': `/api/dossiers/${NO_DOSSIER}/versions/1/attachments/datei`,
  'GET /': '/',
};

it('mounts every route of the REST API at its own path, and each reaches its handler', async () => {
  const server = await startTestServer();
  try {
    expect(mountedRoutes(server.http).sort()).toEqual(Object.keys(routes).sort());
    const admin = await login(server.url, users.admin);
    // logging out ends the admin's session: last, and with a session of its own
    const ordered = Object.entries(routes).sort(([a], [b]) => Number(a === 'POST /api/auth/logout') - Number(b === 'POST /api/auth/logout'));
    for (const [route, path] of ordered) {
      const method = route.split(' ')[0]!;
      const answer = await api(server.url, path, { method, session: admin, ...(method === 'GET' ? {} : { json: {} }) });
      const error = typeof answer.body === 'object' && answer.body !== null ? String((answer.body as { error?: unknown }).error ?? '') : '';
      expect([route, answer.status, error.startsWith('Unbekannte Adresse')], JSON.stringify(answer.body)).toEqual([route, answer.status, false]);
    }
    // and a path nothing is mounted at says so
    const nowhere = await api(server.url, '/api/gibt-es-nicht', { session: await login(server.url, users.admin) });
    expect([nowhere.status, nowhere.body.error]).toEqual([404, 'Unbekannte Adresse: GET /api/gibt-es-nicht']);
  } finally {
    await server.close();
  }
});
