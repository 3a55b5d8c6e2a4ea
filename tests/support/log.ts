/** Test support: the server's JSON log captured line by line instead of written to stdout. */
import { logInto } from '../../server/log';

export interface CapturedLog {
  /** Every line as written. */
  readonly raw: string[];
  /** Every line parsed. */
  entries(): Record<string, unknown>[];
  stop(): void;
}

export function captureLog(): CapturedLog {
  const raw: string[] = [];
  logInto({ write: (line: string) => void raw.push(line) });
  return {
    raw,
    entries: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => logInto(),
  };
}
