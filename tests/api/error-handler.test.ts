/**
 * The API's error handler (server/api/errors.ts) on a real Express app over a real socket, fed
 * with errors the Ratsdossier routes rarely produce: a key taken by a concurrent request, a
 * body-parser error that has no German text of its own, errors of other libraries that carry a
 * `status` of their own, and a request without the request log. Each still answers JSON with a
 * message, never a stack trace; what a client cannot fix is logged for the operators.
 */
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorResponse, HttpError, parseBody } from '../../server/api/errors';
import { DuplicateKeyError } from '../../server/storage/storage';
import { captureLog, type CapturedLog } from '../support/log';
import { waitFor } from '../support/server';

let url: string;
let close: () => Promise<void>;
let log: CapturedLog;

const failing =
  (error: unknown): RequestHandler =>
  () => {
    throw error;
  };

beforeAll(async () => {
  log = captureLog();
  const app = express();
  // a JSON body whose check fails: body-parser's `entity.verify.failed`, a 403 it gives no words of its own
  app.post(
    '/verified',
    express.json({
      verify: () => {
        throw new Error('Signatur passt nicht');
      },
    }),
    (_req, res) => void res.json({ ok: true }),
  );
  app.post('/body', express.json(), (req, res) => void res.json(parseBody(z.object({ title: z.string() }), req.body)));
  app.get('/taken', failing(new DuplicateKeyError('users.username')));
  app.get('/taken-unnamed', failing(new DuplicateKeyError('irgendwas.anderes')));
  app.get('/upstream', failing(Object.assign(new Error('Bad Gateway vom Dokumentenserver'), { status: 502 })));
  app.get('/status-as-text', failing(Object.assign(new Error('Status als Text'), { status: '400' })));
  app.use(errorResponse);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  log.stop();
  await close();
});

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) as unknown };
}
const postJson = (path: string, body: string) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

it('answers a key taken by a concurrent request with 409 and the storage’s words for it', async () => {
  expect(await call('/taken')).toEqual({ status: 409, type: 'application/json; charset=utf-8', body: { error: 'Diesen Benutzernamen gibt es schon.' } });
  expect((await call('/taken-unnamed')).body).toEqual({ error: 'Diesen Eintrag gibt es schon.' });
});

it('answers a body-parser error without words of its own with its status and a general message', async () => {
  expect(await postJson('/verified', '{"a":1}')).toEqual({ status: 403, type: 'application/json; charset=utf-8', body: { error: 'Ungültiger Request.' } });
});

it('treats an error of another library as the server’s fault unless its status is a 4xx number, and logs it', async () => {
  for (const path of ['/upstream', '/status-as-text']) {
    expect(await call(path), path).toEqual({
      status: 500,
      type: 'application/json; charset=utf-8',
      body: { error: 'Interner Fehler. Bitte später erneut versuchen.' },
    });
  }
  // this app has no request log (req.log): the handler logs through the http area's own logger, with the error
  const unexpected = () => log.entries().filter((entry) => entry.area === 'http' && entry.msg === 'unexpected error');
  await waitFor(() => unexpected().length === 2, { message: () => log.raw.join('') });
  expect(unexpected().map((entry) => (entry.err as { message: string }).message)).toEqual(['Bad Gateway vom Dokumentenserver', 'Status als Text']);
});

it('names the body itself when the body as a whole is wrong', async () => {
  const answer = await postJson('/body', '["nur", "eine", "Liste"]');
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ details: [{ field: '(Body)', message: expect.any(String) }] });
  expect((answer.body as { error: string }).error).toMatch(/^Ungültige Eingabe: \(Body\): /);
});

it('names an HttpError as such, for the stack traces in the operators’ log', () => {
  const error = new HttpError(418, 'Kein Kaffee');
  expect([error.name, error.status, error.message, String(error)]).toEqual(['HttpError', 418, 'Kein Kaffee', 'HttpError: Kein Kaffee']);
});
