import type { AuthState } from '../../../../shared/contract/auth'
import { useT } from '../../i18n'
import { useAuth } from '../../stores/auth'
import { PinForm } from './PinForm'
import './auth.css'

/** Locked: whose window it is, why it locked, and the same key and PIN to open it again. */
export function LockScreen({ state }: { state: AuthState }) {
  const t = useT()
  const { keys, busy, error, unlock, signOut } = useAuth()
  const staff = state.staff!
  const keyIn = keys.some(
    (k) =>
      k.use === 'staff' &&
      k.certificate?.serialNumber === staff.certificate.serialNumber &&
      k.holder?.number === staff.idNumberMasked,
  )
  return (
    <main className="auth-screen locked" data-testid="lock-screen" data-reason={state.lockReason}>
      <section className="auth-card" aria-labelledby="lock-title">
        <header className="auth-card-head">
          <span className="auth-seal lock" aria-hidden="true">
            锁
          </span>
          <div>
            <h1 id="lock-title">{t('auth.lock.title')}</h1>
            <p className="auth-lead" data-testid="lock-reason">
              {state.lockReason ? t(`auth.lock.reason.${state.lockReason}`) : ''}
            </p>
          </div>
        </header>
        <div className="lock-who">
          <strong data-testid="lock-who">
            {t('auth.lock.who', { name: staff.name, role: t(`auth.role.${staff.role}`) })}
          </strong>
          <span className="key-number">{staff.idNumberMasked}</span>
          <span className={keyIn ? 'key-state in' : 'key-state out'} data-testid="lock-key-state">
            <i className="dot" aria-hidden="true" />
            {t(keyIn ? 'auth.lock.keyPresent' : 'auth.lock.keyMissing')}
          </span>
        </div>
        <p className="auth-lead">{t('auth.lock.insert', { name: staff.name })}</p>
        <PinForm
          testId="unlock"
          submitLabel={t('auth.lock.unlock')}
          busy={busy}
          error={error}
          onSubmit={unlock}
        />
        <div className="auth-footer">
          {state.idleLockMinutes > 0 && (
            <span className="muted small">
              {t('auth.lock.idleNote', { minutes: state.idleLockMinutes })}
            </span>
          )}
          <button
            type="button"
            className="button subtle small"
            data-testid="sign-out"
            onClick={() => {
              if (window.confirm(t('auth.lock.signOutConfirm'))) void signOut()
            }}
          >
            {t('auth.lock.signOut')}
          </button>
        </div>
      </section>
    </main>
  )
}
