/**
 * `npm run backup -- <datei>` and `npm run restore -- <datei>`: a backup of the configured storage (DATABASE_URL,
 * or the SQLite file in DATA_DIR) into a new file, and its restore into an empty storage (see backup.ts). A backup
 * from SQLite restores into PostgreSQL and back.
 */
import { configFromEnv } from '../config';
import { BackupError, backup, describeCounts, restore } from './backup';

const usage = 'Aufruf: npm run backup -- <datei>   oder   npm run restore -- <datei>';

async function main([command, file, ...rest]: string[]): Promise<void> {
  if (!file || rest.length > 0 || (command !== 'backup' && command !== 'restore')) throw new BackupError(usage);
  const config = configFromEnv();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${config.dataDir}`;
  if (command === 'backup') {
    const counts = await backup(config, file);
    console.log(`Sicherung von ${where} geschrieben: ${file} (${describeCounts(counts)}).`);
  } else {
    const counts = await restore(config, file);
    console.log(`Sicherung ${file} in ${where} zurückgespielt (${describeCounts(counts)}). Alle melden sich neu an.`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof BackupError ? error.message : `Fehler: ${error.message}`);
  process.exit(1);
});
