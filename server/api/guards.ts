/**
 * What every API router asks first: who is signed in, and may they see this
 * dossier. One module, so the routers need not import each other for it.
 */
import type { Response } from 'express';
import { isDossierId } from '../../dossier/layout';
import { canSeeDossier, type Actor } from '../../dossier/policy';
import type { SignedIn } from '../accounts/sessions';
import type { DossierRecord, Storage } from '../storage/storage';
import type { Template } from '../../dossier/template';
import type { TemplateRegistry } from '../templates/loader';
import { HttpError } from './errors';

/** The session that `requireSession` put on the response; 401 without one. */
export function signedIn(res: Response): SignedIn {
  const value = res.locals.signedIn as SignedIn | undefined;
  // Stryker disable next-line StringLiteral: a guard no route reaches, each router that asks sits behind requireSession, which answers 401 itself
  if (!value) throw new HttpError(401, 'Bitte anmelden.');
  return value;
}

/** The dossier, if it exists and the user may see it; a hidden dossier answers 404 like a missing one. */
export async function visibleDossier(storage: Storage, id: string, actor: Actor): Promise<DossierRecord> {
  return assertVisible(actor, isDossierId(id) ? await storage.dossiers.get(id) : undefined, id);
}

/** A dossier the user may not see answers 404, exactly like one that does not exist. */
export function assertVisible(actor: Actor, dossier: DossierRecord | undefined, id: string): DossierRecord {
  if (!dossier || !canSeeDossier(actor, dossier)) throw new HttpError(404, `Vorlage "${id.slice(0, 80)}" gibt es nicht.`);
  return dossier;
}

/** The dossier's template; 409 when it is no longer installed (the dossier stays, but cannot be shown by section). */
export function installedTemplate(templates: TemplateRegistry, dossier: Pick<DossierRecord, 'templateId'>): Template {
  const template = templates.get(dossier.templateId);
  if (!template) throw new HttpError(409, `Das Vorlagenmuster "${dossier.templateId}" dieser Vorlage ist nicht mehr installiert.`);
  return template;
}
