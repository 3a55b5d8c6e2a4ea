/** Errors a client can cause: mapped to a 4xx JSON answer with a message, never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { DuplicateKeyError } from '../storage/storage';
import { logFor } from '../log';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Validates a request body; a mismatch is a 400 naming each field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined) throw new HttpError(400, 'Der Request braucht einen JSON-Body (Content-Type: application/json).');
  const result = schema.safeParse(body);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(Body)', message: issue.message }));
    throw new HttpError(400, `Ungültige Eingabe: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
  }
  return result.data;
}

export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, `Unbekannte Adresse: ${req.method} ${req.baseUrl}${req.path}`);
};

export const errorResponse: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof DuplicateKeyError) {
    res.status(409).json({ error: error.message });
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json({ error: error.message, ...(error.details ? { details: error.details } : {}) });
    return;
  }
  // body-parser errors carry `type` and a 4xx `status`
  const status = typeof error?.status === 'number' ? error.status : 500;
  if (status >= 400 && status < 500) {
    const message =
      error.type === 'entity.parse.failed'
        ? 'Der Request-Body ist kein gültiges JSON.'
        : error.type === 'entity.too.large'
          ? 'Der Request-Body ist zu groß.'
          : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported'
            ? 'Nicht unterstützte Zeichenkodierung.'
            : 'Ungültiger Request.';
    res.status(status).json({ error: message });
    return;
  }
  (req.log ?? logFor('http')).error({ err: error }, 'unexpected error');
  res.status(500).json({ error: 'Interner Fehler. Bitte später erneut versuchen.' });
};
