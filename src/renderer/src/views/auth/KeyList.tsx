import type { KeyView } from '../../../../shared/contract/auth'
import { useT } from '../../i18n'

function pinText(t: ReturnType<typeof useT>, pin: KeyView['pin']): string | null {
  if (!pin) return null
  if (pin.locked) return t('auth.signIn.locked')
  if (pin.remaining === undefined) return null
  return pin.max !== undefined
    ? t('auth.signIn.attemptsOf', { n: pin.remaining, max: pin.max })
    : t('auth.signIn.attempts', { n: pin.remaining })
}

/** The CA keys in the terminal: whose, what for, valid until when, and PIN attempts left. */
export function KeyList({
  keys,
  selected,
  onSelect,
}: {
  keys: readonly KeyView[]
  selected: string | null
  onSelect(tokenId: string): void
}) {
  const t = useT()
  if (keys.length === 0) {
    return (
      <div className="auth-empty" data-testid="no-keys">
        <strong>{t('auth.signIn.noKeys')}</strong>
        <span>{t('auth.signIn.noKeysHint')}</span>
      </div>
    )
  }
  return (
    <ul className="key-list" role="listbox" aria-label={t('auth.signIn.keys')}>
      {keys.map((k) => {
        const usable = k.use === 'staff' && !k.problem
        const pin = pinText(t, k.pin)
        return (
          <li
            key={k.tokenId}
            role="option"
            aria-selected={k.tokenId === selected}
            aria-disabled={!usable}
            className={[
              'key',
              usable ? 'usable' : 'unusable',
              k.tokenId === selected ? 'selected' : '',
            ].join(' ')}
            data-testid="key"
            data-token={k.tokenId}
            data-use={k.use}
            onClick={() => usable && onSelect(k.tokenId)}
          >
            <div className="key-main">
              <span className="key-holder">{k.holder?.name ?? k.label}</span>
              {k.holder && <span className="key-number">{k.holder.number}</span>}
              {k.holder?.organization && (
                <span className="key-organization" data-testid="key-organization">
                  {k.holder.organization.name || k.holder.organization.uscc}
                </span>
              )}
              {k.simulated && <span className="key-tag">{t('auth.key.simulated')}</span>}
            </div>
            <div className="key-meta">
              <span>{t(`auth.key.${k.use}`)}</span>
              {k.certificate && <span>{k.certificate.issuer}</span>}
              {k.certificate &&
                (k.certificate.expired ? (
                  <span className="bad">{t('auth.key.expired')}</span>
                ) : (
                  <span>{t('auth.key.expires', { date: k.certificate.notAfter })}</span>
                ))}
              {pin && (
                <span className={k.pin?.locked ? 'bad' : 'key-pin'} data-testid="key-pin">
                  {pin}
                </span>
              )}
              {k.pin?.countLow && !k.pin.locked && (
                <span className="key-pin" data-testid="key-pin-low">
                  {t('auth.key.countLow')}
                </span>
              )}
            </div>
            {k.problem && k.use !== 'enterprise' && (
              <div className="key-problem" data-testid="key-problem">
                {k.problem.message}
              </div>
            )}
          </li>
        )
      })}
    </ul>
  )
}
