import type { DossierStatus } from '../api';
import { useI18n } from '../i18n/i18n';

export function StatusBadge({ status }: { status: DossierStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--status-${status}`}>{t(`status.${status}`)}</span>;
}
