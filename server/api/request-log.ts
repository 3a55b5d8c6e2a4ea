/**
 * One JSON log line per HTTP request (pino-http): method, URL, status, time, the
 * request id and, once signed in, the user's id. The request id is the caller's
 * `X-Request-Id` when it is a plain token (a proxy's id keeps its meaning across
 * services), otherwise a new UUID; either way it is answered in `X-Request-Id`.
 * Headers and bodies are never logged: they hold cookies, CSRF tokens and passwords.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { logFor } from '../log';
import type { SignedIn } from '../accounts/sessions';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const PLAIN_ID = /^[\w.:-]{1,128}$/;

export function requestLog() {
  return pinoHttp({
    logger: logFor('http'),
    quietReqLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const sent = req.headers['x-request-id'];
      const id = typeof sent === 'string' && PLAIN_ID.test(sent) ? sent : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customProps: (_req, res) => {
      const signedIn = (res as Response).locals?.signedIn as SignedIn | undefined;
      return signedIn ? { userId: signedIn.user.id } : {};
    },
    // A 503 is an answer the server chose (export queue full, a dependency not ready): worth a warning, not an alert.
    // Probes every few seconds would drown everything else.
    customLogLevel: (req, res, error) =>
      res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : (req as Request).originalUrl?.startsWith('/api/health') ? 'debug' : 'info',
    // A 5xx line would carry a made-up error with pino-http's own stack; the real error is logged where it happened.
    customErrorObject: (_req, _res, _error, value: Record<string, unknown>) => ({ ...value, err: undefined }),
    serializers: {
      // the client's address as Express sees it (X-Forwarded-For only behind TRUST_PROXY)
      req: (req: { method: string; url: string; remoteAddress?: string; raw?: { ip?: string } }) => ({
        method: req.method,
        url: req.url,
        address: req.raw?.ip ?? req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
