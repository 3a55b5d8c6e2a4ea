/** Entry point of `npm start`: configuration from the environment, graceful shutdown on signals. */
import { startRatsdossier } from './app';
import { createFirstAdmin, FIRST_ADMIN } from './accounts/users';
import { configFromEnv, ConfigError, isLoopback, type Config } from './config';
import { log } from './log';

let config: Config;
try {
  config = configFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.fatal(`Ratsdossier startet nicht. ${error.message}`);
  process.exit(1);
}
// Hocuspocus runs some hooks without awaiting them (onChange): one extension's failure there must not end the process and lose every unstored change.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

const app = await startRatsdossier(config).catch((error: Error) => {
  log.fatal({ err: error }, `Ratsdossier konnte nicht starten: ${error.message}`);
  process.exit(1);
});
// A real installation (no user after seeding): the first administrator's password is shown here once and nowhere else.
// Written to the terminal, not to the log: the log keeps no passwords.
const firstAdminPassword = await createFirstAdmin(app.storage);
if (firstAdminPassword) {
  process.stdout.write(
    `Erster Start: Benutzerkonto "${FIRST_ADMIN}" angelegt. Einmaliges Passwort: ${firstAdminPassword}\n` +
      `Es wird nicht noch einmal angezeigt. Bitte sofort ändern: npm run users -- set ${FIRST_ADMIN} --password …\n`,
  );
}

log.info({ port: app.port, dataDir: config.dataDir }, `Ratsdossier läuft auf http://localhost:${app.port}`);
if (config.seedDemo !== 'none' && !isLoopback(config.host)) {
  log.warn(
    `SEED_DEMO ist eingeschaltet und der Server ist über ${config.host} erreichbar – ein neues Datenverzeichnis bekommt Demo-Benutzer mit bekanntem Passwort (siehe README). Für den Echtbetrieb SEED_DEMO nicht setzen.`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'Ratsdossier wird beendet: speichert alle Änderungen');
    app.close().then(
      () => {
        log.info('Ratsdossier beendet');
        process.exit(0);
      },
      (error: Error) => {
        log.error({ err: error }, 'Fehler beim Beenden');
        process.exit(1);
      },
    );
  });
}
