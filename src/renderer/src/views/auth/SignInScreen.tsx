import { describeError } from '../../../../shared/errors'
import { useLanguage, useT } from '../../i18n'
import { useApp } from '../../stores/app'
import { signInChoices, useAuth } from '../../stores/auth'
import { KeyList } from './KeyList'
import { PinForm } from './PinForm'
import './auth.css'

/** The first thing a clerk sees: insert the staff key, type the PIN, Enter. */
export function SignInScreen() {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const { keys, selected, busy, error, select, move, signIn } = useAuth()
  const training = useApp((s) => s.info?.mode === 'training')
  const devices = useApp((s) => s.devices)
  const drivers = devices.filter((d) => d.kind === 'cakey')
  const broken = drivers.filter((d) => d.state === 'error')
  const chosen = signInChoices(keys).find((k) => k.tokenId === selected)
  const finalTry = chosen?.pin?.remaining === 1 && !chosen.pin.locked
  return (
    <main className="auth-screen" data-testid="sign-in">
      <section className="auth-card" aria-labelledby="sign-in-title">
        <header className="auth-card-head">
          <span className="auth-seal" aria-hidden="true">
            证
          </span>
          <div>
            <h1 id="sign-in-title">{t('auth.signIn.title')}</h1>
            <p className="auth-lead">{t('auth.signIn.lead')}</p>
          </div>
        </header>
        {drivers.length === 0 && (
          <p className="warning caution" data-testid="no-provider">
            {t('auth.signIn.noProvider')}
          </p>
        )}
        {broken.map((d) => (
          <p className="warning danger" key={d.id} data-testid="provider-error">
            {t('auth.signIn.providerError', {
              device: d.label,
              // The status carries no parameters: drop the placeholders they would fill.
              message: describeError(d.errorCode ?? 'INTERNAL', {}, language).message.replace(
                /\s*\{\w+\}/g,
                '',
              ),
            })}
          </p>
        ))}
        <h2 className="auth-sub">{t('auth.signIn.keys')}</h2>
        <KeyList keys={keys} selected={selected} onSelect={select} />
        {finalTry && (
          <p className="warning caution" data-testid="final-try">
            {t('auth.signIn.finalTry')}
          </p>
        )}
        <PinForm
          testId="sign-in"
          submitLabel={t('auth.signIn.submit')}
          busy={busy}
          error={error}
          disabled={!chosen || chosen.pin?.locked}
          onSubmit={signIn}
          onArrow={move}
        />
        <p className="auth-keys-hint">
          {t('auth.signIn.choose')}
          {training && <span className="auth-training-pin"> · {t('training.cakey.pin')}</span>}
        </p>
      </section>
    </main>
  )
}
