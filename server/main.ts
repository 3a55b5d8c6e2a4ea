/** Entry point of `npm start`: configuration from the environment, graceful shutdown on signals. */
import { startRatsdossier } from './app';
import { configFromEnv } from './config';

const config = configFromEnv();
const app = await startRatsdossier(config).catch((error: Error) => {
  console.error(`Ratsdossier konnte nicht starten: ${error.message}`);
  process.exit(1);
});

console.log(`Ratsdossier läuft auf http://localhost:${app.port} (Daten: ${config.dataDir})`);
if (config.seedDemo !== 'none') {
  console.warn('Hinweis: SEED_DEMO ist eingeschaltet – ein neues Datenverzeichnis bekommt Demo-Benutzer mit bekanntem Passwort (siehe README). Für den Echtbetrieb SEED_DEMO=false setzen.');
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
