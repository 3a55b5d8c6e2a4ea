/**
 * The server's log: one JSON line per event (pino), each with the `area` it comes
 * from (http, collab, persistence, …). Secrets never reach it: passwords, tokens and
 * cookies are removed by path wherever they appear in a logged object, and request
 * logs carry only method, URL and address, never headers or bodies.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

const SECRETS = ['password', 'currentPassword', 'newPassword', 'passwordHash', 'token', 'csrfToken', 'cookie', 'authorization', 'x-csrf-token', 'set-cookie'];

const standardOutput = pino.destination({ dest: 1, sync: true });
/** Where lines go; replaceable (tests read the log), so every logger writes through this one sink. */
let destination: DestinationStream = standardOutput;
const sink: DestinationStream = { write: (line) => destination.write(line) };

export const log: Logger = pino(
  {
    level: 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [...SECRETS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]), 'req.headers', 'res.headers', '*.headers.cookie', '*.headers.authorization'],
      censor: '[entfernt]',
    },
    serializers: { err: pino.stdSerializers.err },
  },
  sink,
);

const areas = new Map<string, Logger>();

/** The logger of one part of the server; its lines carry `area`. */
export function logFor(area: string): Logger {
  let logger = areas.get(area);
  if (!logger) {
    logger = log.child({ area });
    areas.set(area, logger);
  }
  return logger;
}

/** Sets the level of the log and of every area's logger (a child keeps the level it was made with). */
export function setLogLevel(level: LogLevel): void {
  log.level = level;
  for (const logger of areas.values()) logger.level = level;
}

/** Sends the log somewhere else (a test's capture); without argument back to stdout. */
export function logInto(target: DestinationStream = standardOutput): void {
  destination = target;
}
