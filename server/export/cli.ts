/**
 * `npm run export -- <dossierId> <out.pdf> [--draft]`: writes a dossier's
 * Vorlage for clerks and scripts, from the stored state in DATA_DIR, and
 * prints its SHA-256. Final mode (PDF/A-2b, reproducible) unless --draft.
 * Renders in this process: there are no editors here to keep responsive.
 */
import { writeFileSync } from 'node:fs';
import { configFromEnv } from '../config';
import { openStorage } from '../storage/open';
import { loadTemplates } from '../templates/loader';
import { loadLetterhead } from './letterhead';
import { renderVorlage } from './render';
import { DossierNotExportableError, loadExportSource } from './source';

const usage = 'Aufruf: npm run export -- <Dossier-ID> <Ausgabe.pdf> [--draft]';

/** Errors whose message is all the user needs (no "Export fehlgeschlagen" prefix). */
class UsageError extends Error {}

async function main(args: string[]): Promise<void> {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const [dossierId, out, ...extra] = args.filter((arg) => !arg.startsWith('--'));
  const unknown = flags.filter((flag) => flag !== '--draft');
  if (!dossierId || !out || extra.length || unknown.length) throw new UsageError(unknown.length ? `Unbekannte Option ${unknown.join(', ')}. ${usage}` : usage);
  const mode = flags.includes('--draft') ? 'draft' : 'final';

  const config = configFromEnv();
  const templates = await loadTemplates(config.templatesDir);
  const storage = await openStorage(config);
  try {
    const { snapshot, template } = await loadExportSource(storage, templates, dossierId);
    const { pdf, sha256 } = await renderVorlage({ snapshot, template, mode, letterhead: loadLetterhead(config) });
    writeFileSync(out, pdf);
    console.log(`${out}: ${mode === 'final' ? 'endgültige Fassung (PDF/A-2b)' : 'Entwurf'}, ${pdf.byteLength} Bytes, SHA-256 ${sha256}`);
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof DossierNotExportableError || error instanceof UsageError ? error.message : `Export fehlgeschlagen: ${error.message}`);
  process.exit(1);
});
