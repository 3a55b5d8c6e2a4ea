/**
 * `npm run users -- <command>`: manage accounts in the configured database
 * (DATABASE_URL, or DATA_DIR). A running server applies changes to open connections within a few seconds;
 * with REDIS_URL, every server process at once (the same event the admin API publishes).
 *
 *   list
 *   departments
 *   add <username> --name "Vorname Name" --department <id> --roles author,finance [--password …]
 *   set <username> [--name …] [--department <id>] [--roles …] [--disable | --enable] [--password …]
 *
 * Without --password, the password is read from the RD_PASSWORD environment variable.
 */
import { parseArgs } from 'node:util';
import { roles, type Role } from '../../dossier/policy';
import { configFromEnv } from '../config';
import { openStorage } from '../storage/open';
import { redisEvents } from '../cluster/redis';
import { addUser, changeUser, UserInputError } from './users';

const usage = `Aufruf: npm run users -- list | departments | add <benutzername> --name "…" --department <id> --roles author,finance [--password …] | set <benutzername> [--name …] [--department …] [--roles …] [--disable|--enable] [--password …]
Rollen: ${roles.join(', ')}`;

function parseRoles(value: string | undefined): Role[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = list.filter((r) => !roles.includes(r as Role));
  if (unknown.length) throw new UserInputError(`Unbekannte Rolle(n): ${unknown.join(', ')}. Erlaubt: ${roles.join(', ')}`);
  return list as Role[];
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      department: { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
    },
  });
  const [command, username] = positionals;
  const config = configFromEnv();
  const storage = await openStorage(config);
  try {
    const password = values.password ?? process.env.RD_PASSWORD;
    switch (command) {
      case 'list': {
        const departments = new Map((await storage.accounts.listDepartments()).map((d) => [d.id, d.name]));
        for (const user of await storage.accounts.listUsers()) {
          console.log(
            `${user.username}\t${user.displayName}\t${departments.get(user.departmentId) ?? user.departmentId}\t${user.roles.join(',')}${user.disabled ? '\tgesperrt' : ''}`,
          );
        }
        return;
      }
      case 'departments':
        for (const d of await storage.accounts.listDepartments()) console.log(`${d.id}\t${d.shortName}\t${d.name}\t(${d.function})`);
        return;
      case 'add': {
        if (!username || !values.name || !values.department || !values.roles || !password) throw new UserInputError(usage);
        const user = await addUser(storage, {
          username,
          displayName: values.name,
          departmentId: values.department,
          roles: parseRoles(values.roles)!,
          password,
        });
        console.log(`Benutzerkonto ${user.username} angelegt.`);
        return;
      }
      case 'set': {
        const user = username && (await storage.accounts.getUserByUsername(username));
        if (!user) throw new UserInputError(`Benutzerkonto "${username ?? ''}" gibt es nicht.`);
        const changed = await changeUser(storage, user, {
          ...(values.name !== undefined ? { displayName: values.name } : {}),
          ...(values.department !== undefined ? { departmentId: values.department } : {}),
          ...(values.roles !== undefined ? { roles: parseRoles(values.roles)! } : {}),
          ...(values.disable ? { disabled: true } : values.enable ? { disabled: false } : {}),
          ...(values.password !== undefined ? { password: values.password } : {}),
        });
        console.log(`Benutzerkonto ${changed.username} geändert.`);
        if (config.redisUrl) {
          await announce(config.redisUrl, config.redisPrefix, changed.id).catch((error: Error) =>
            console.warn(
              `Die laufenden Server wissen noch nichts davon (${error.message}); offene Verbindungen folgen der Änderung erst, wenn sie sich neu verbinden.`,
            ),
          );
        }
        return;
      }
      default:
        throw new UserInputError(usage);
    }
  } finally {
    await storage.close();
  }
}

/** Tells every server process that the user changed, as the admin API does. */
async function announce(redisUrl: string, prefix: string, userId: string): Promise<void> {
  const events = await redisEvents(redisUrl, prefix);
  await events.publish({ type: 'users-changed', userIds: [userId] }).finally(() => events.close());
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof UserInputError ? error.message : `Fehler: ${error.message}`);
  process.exit(1);
});
