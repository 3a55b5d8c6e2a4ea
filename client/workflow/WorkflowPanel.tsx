/**
 * The workflow panel in the dossier bar: the status and version, the lead's
 * transitions, each department's co-signature, and the ways into signing
 * (signatories), the checklist and release (lead and clerk), the versions
 * and the final PDF. What the buttons offer mirrors the policy; the server
 * decides.
 */
import { useState } from 'react';
import { canRelease, canSign, canStartCosigning, canStartRevision, canStopCosigning, isLead } from '../../dossier/policy';
import type { Template } from '../../dossier/template';
import { actorOf, useAccount } from '../account';
import type { DossierView } from '../../dossier/rest';
import type { CollabSession } from '../collab/session';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n, type Translate } from '../i18n/i18n';
import { ReleaseDialog } from './ReleaseDialog';
import { SignDialog } from './SignDialog';
import type { Workflow } from './use-workflow';
import { VersionPdfButton } from './VersionPdfButton';
import { VersionsDialog } from './VersionsDialog';
import { workflowApi, type SignatureState } from './workflow-api';

type OpenDialog = 'sign' | 'release' | 'versions' | null;

export function WorkflowPanel({
  dossier,
  template,
  session,
  workflow,
}: {
  dossier: DossierView;
  template: Template;
  session: CollabSession;
  workflow: Workflow;
}) {
  const { t } = useI18n();
  const { state } = useAccount();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (state.status !== 'signed-in') return null;
  const { user } = state;

  const { status, signatures, versions } = workflow;
  const actor = actorOf(user);
  // the page is open, so the user sees the dossier: `public` decides nothing more here
  const access = { ...dossier, status, public: true };
  const lead = isLead(actor, access);
  const clerk = user.roles.includes('clerk');
  const ownRow = signatures?.find((row) => row.departmentId === actor.departmentId);
  const maySign = ownRow !== undefined && canSign(actor, access, signatures?.map((row) => row.departmentId) ?? []);
  const latest = versions?.reduce<(typeof versions)[number] | undefined>((last, entry) => (!last || entry.version > last.version ? entry : last), undefined);
  const titles = new Map(template.sections.map((section) => [section.id, section.title]));
  const titlesOf = (ids: readonly string[]) => ids.map((id) => titles.get(id) ?? id).join(', ');

  const transition = (run: () => Promise<unknown>) => async () => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      workflow.refresh();
    }
  };

  const versionText =
    status === 'released' && latest
      ? t('workflow.releasedVersion', { version: latest.version })
      : latest
        ? t('workflow.nextVersion', { version: latest.version + 1 })
        : null;

  return (
    <section className="workflow" aria-label={t('workflow.title')}>
      <div className="workflow__head">
        <p className="workflow__status" role="status">
          <span className="visually-hidden">{t('workflow.statusLabel')} </span>
          <StatusBadge status={status} />
          {versionText && <span className="workflow__version">{versionText}</span>}
        </p>
        <div className="workflow__actions">
          {canStartCosigning(actor, access) && (
            <button
              type="button"
              className="button button--primary button--small"
              disabled={busy}
              onClick={transition(() => workflowApi.startCosigning(dossier.id))}
            >
              {t('workflow.startCosigning')}
            </button>
          )}
          {canStopCosigning(actor, access) && (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={transition(() => workflowApi.backToDraft(dossier.id))}
            >
              {t('workflow.backToDraft')}
            </button>
          )}
          {canStartRevision(actor, access) && (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={transition(() => workflowApi.startRevision(dossier.id))}
            >
              {t('workflow.startRevision')}
            </button>
          )}
          {maySign && (
            <button type="button" className="button button--primary button--small" onClick={() => setDialog('sign')}>
              {ownRow.state === 'invalid'
                ? t('workflow.action.signAgain')
                : ownRow.state === 'valid'
                  ? t('workflow.action.changeSignature')
                  : t('workflow.action.sign')}
            </button>
          )}
          {(lead || clerk) && status !== 'released' && (
            <button
              type="button"
              className={`button button--small ${canRelease(actor, access) ? 'button--primary' : 'button--secondary'}`}
              onClick={() => setDialog('release')}
            >
              {canRelease(actor, access) ? t('workflow.checkAndRelease') : t('workflow.checklist')}
            </button>
          )}
          {versions && versions.length > 0 && (
            <button type="button" className="button button--secondary button--small" onClick={() => setDialog('versions')}>
              {t('workflow.action.versions')}
            </button>
          )}
        </div>
      </div>
      {status === 'released' && latest && (
        <div className="workflow__final">
          <VersionPdfButton dossierId={dossier.id} version={latest} label={t('workflow.finalPdf')} />
        </div>
      )}
      {error && (
        <p className="notice notice--error workflow__error" role="alert">
          {error}
        </p>
      )}
      {signatures && signatures.length > 0 && (
        <ul className="workflow__departments" aria-label={t('workflow.departments')}>
          {signatures.map((row) => (
            <li key={row.departmentId} className={`department-state department-state--${stateKind(row)}`}>
              <span className="department-state__name">{row.departmentName}</span>
              <span className="department-state__value">
                <span className="department-state__mark" aria-hidden="true">
                  {stateMark[stateKind(row)]}
                </span>
                {stateText(t, row, titlesOf)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {ownRow?.state === 'invalid' && status === 'cosigning' && (
        <p className="notice notice--warning workflow__changed">{t('workflow.changedSinceSigned', { sections: titlesOf(ownRow.changedSections) })}</p>
      )}
      {ownRow && (
        <SignDialog
          open={dialog === 'sign'}
          onClose={() => setDialog(null)}
          onSigned={() => {
            setDialog(null);
            workflow.refresh();
          }}
          dossierId={dossier.id}
          template={template}
          session={session}
          row={ownRow}
          departmentFunction={user.department?.function ?? ''}
        />
      )}
      {(lead || clerk) && (
        <ReleaseDialog
          open={dialog === 'release'}
          onClose={() => setDialog(null)}
          onReleased={workflow.refresh}
          dossierId={dossier.id}
          referenceNumber={workflow.referenceNumber}
          referenceExample={template.referenceNumber.example}
          mayRelease={canRelease(actor, access)}
          revision={workflow.revision}
        />
      )}
      {versions && versions.length > 0 && (
        <VersionsDialog open={dialog === 'versions'} onClose={() => setDialog(null)} dossierId={dossier.id} versions={versions} />
      )}
    </section>
  );
}

type StateKind = 'pending' | 'agreed' | 'remarks' | 'objection' | 'invalid';

function stateKind(row: SignatureState): StateKind {
  if (row.state === 'pending') return 'pending';
  if (row.state === 'invalid') return 'invalid';
  return row.decision === 'object' ? 'objection' : row.decision === 'agree-with-remarks' ? 'remarks' : 'agreed';
}

/** A shape beside the words, so the state is not told by colour alone (hidden from screen readers, which read the words). */
const stateMark: Record<StateKind, string> = { pending: '○', agreed: '✓', remarks: '✓', objection: '✗', invalid: '!' };

function stateText(t: Translate, row: SignatureState, titlesOf: (ids: readonly string[]) => string): string {
  switch (stateKind(row)) {
    case 'pending':
      return t('workflow.state.pending');
    case 'agreed':
      return t('workflow.state.agreed');
    case 'remarks':
      return t('workflow.state.remarks');
    case 'objection':
      return t('workflow.state.objection');
    case 'invalid':
      return t('workflow.state.invalid', { sections: titlesOf(row.changedSections) });
  }
}
