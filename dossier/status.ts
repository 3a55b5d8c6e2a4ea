/**
 * The workflow statuses of a dossier, defined once for server, client and tests:
 * Entwurf → In Mitzeichnung → Freigegeben (a new revision makes a released dossier a draft again).
 */
export const dossierStatuses = ['draft', 'cosigning', 'released'] as const;
export type DossierStatus = (typeof dossierStatuses)[number];

export function isDossierStatus(value: unknown): value is DossierStatus {
  return dossierStatuses.includes(value as DossierStatus);
}
