/**
 * What a hook throws to refuse a connection or a message. Hocuspocus closes
 * with its `code` and `reason`. It is deliberately no Error and has no
 * `message`: Hocuspocus logs a hook error's message once per extension and the
 * whole error (stack trace included) when it closes a connection, so a client
 * sending garbage could fill the log. This prints as one escaped line.
 */
import { inspect } from 'node:util';
import { printable } from './frames';

export class Refusal {
  constructor(
    readonly reason: string,
    readonly detail: string,
    readonly code?: number,
  ) {}

  [inspect.custom](): string {
    return `refused (${this.reason}): ${printable(this.detail)}`;
  }
}
