/**
 * The storage contract for PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test),
 * each storage on its own schema. Unreachable, the tests fail in CI and are skipped elsewhere, saying why.
 */
import { describe } from 'vitest';
import { storageContract } from './contract';
import { postgresFactory, postgresUnavailable } from './factories';

const reason = await postgresUnavailable();
if (reason) {
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${reason}`);
  console.warn(`[storage] PostgreSQL contract skipped: ${reason}`);
}

describe.skipIf(reason !== undefined)('PostgreSQL', () => {
  storageContract(postgresFactory);
});
