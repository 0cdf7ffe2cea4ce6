import { useT } from '../../i18n'
import { useAuth } from '../../stores/auth'

/** The header's staff identity: name, role, masked ID, an offline flag, and the lock button. */
export function StaffBadge() {
  const t = useT()
  const state = useAuth((s) => s.state)
  const lock = useAuth((s) => s.lock)
  const staff = state?.staff
  if (!staff) return null
  const offlineTitle = staff.offlineReasons.map((r) => t(`auth.offline.${r}`)).join('；')
  return (
    <span className="staff-badge" data-testid="staff-badge">
      <span className="staff-name" data-testid="staff-name">
        {staff.name}
      </span>
      <span className="staff-role" data-testid="staff-role">
        {t(`auth.role.${staff.role}`)}
      </span>
      {staff.offline && (
        <span className="staff-offline" title={offlineTitle} data-testid="staff-offline">
          {t('auth.offline')}
        </span>
      )}
      {staff.revocation === 'unchecked' && (
        <span
          className="staff-crl-missing"
          title={t('auth.crlMissing.hint')}
          data-testid="staff-crl-missing"
        >
          {t('auth.crlMissing')}
        </span>
      )}
      {state.status === 'signed-in' && (
        <button
          type="button"
          className="header-button"
          onClick={() => void lock()}
          data-testid="lock-button"
          title={staff.idNumberMasked}
        >
          {t('auth.lock')} <kbd>F10</kbd>
        </button>
      )}
    </span>
  )
}
