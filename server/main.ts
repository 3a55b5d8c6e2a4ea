/** Entry point of `npm start`: configuration from the environment, graceful shutdown on signals. */
import { startRatsdossier } from './app';
import { createFirstAdmin, FIRST_ADMIN } from './accounts/users';
import { configFromEnv, ConfigError, isLoopback, type Config } from './config';

let config: Config;
try {
  config = configFromEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Ratsdossier startet nicht. ${error.message}`);
  process.exit(1);
}
const app = await startRatsdossier(config).catch((error: Error) => {
  console.error(`Ratsdossier konnte nicht starten: ${error.message}`);
  process.exit(1);
});
// A real installation (no user after seeding): the first administrator's password is shown here once and nowhere else.
const firstAdminPassword = await createFirstAdmin(app.storage);
if (firstAdminPassword) {
  console.log(
    `Erster Start: Benutzerkonto "${FIRST_ADMIN}" angelegt. Einmaliges Passwort: ${firstAdminPassword}\n` +
      `Es wird nicht noch einmal angezeigt. Bitte sofort ändern: npm run users -- set ${FIRST_ADMIN} --password …`,
  );
}

console.log(`Ratsdossier läuft auf http://localhost:${app.port} (Daten: ${config.dataDir})`);
if (config.seedDemo !== 'none' && !isLoopback(config.host)) {
  console.warn(
    `Warnung: SEED_DEMO ist eingeschaltet und der Server ist über ${config.host} erreichbar – ein neues Datenverzeichnis bekommt Demo-Benutzer mit bekanntem Passwort (siehe README). Für den Echtbetrieb SEED_DEMO nicht setzen.`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error('Fehler beim Beenden:', error.message);
        process.exit(1);
      },
    );
  });
}
