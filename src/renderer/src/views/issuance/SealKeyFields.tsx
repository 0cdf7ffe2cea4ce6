/**
 * The seal key and, for a key on a CA token, its PIN: the same two fields wherever a licence is
 * sealed (one licence or a bulk batch). Enter in the PIN field seals.
 */
import type { SignerChoice, SignerOption } from '../../../../shared/domain'
import { useT } from '../../i18n'

const keyOf = (choice: SignerChoice | null | undefined): string =>
  choice ? JSON.stringify(choice) : ''

/** The option the choice names, if any (choices are plain data: compared by value). */
export function chosenSigner(
  signers: readonly SignerOption[],
  signer: SignerChoice | null | undefined,
): SignerOption | undefined {
  return signers.find((s) => keyOf(s.choice) === keyOf(signer))
}

export function SealKeyFields(p: {
  signers: readonly SignerOption[]
  signer: SignerChoice | null | undefined
  pin: string
  disabled: boolean
  onSigner: (choice: SignerChoice) => void
  onPin: (pin: string) => void
  onSeal: () => void
  /** Prefix of the fields' test ids: `<prefix>-signer`, `<prefix>-seal-pin`. */
  testId: string
}) {
  const t = useT()
  const chosen = chosenSigner(p.signers, p.signer)
  return (
    <>
      <dt>{t('issuance.preview.signer')}</dt>
      <dd>
        <select
          value={keyOf(p.signer)}
          disabled={p.disabled}
          onChange={(e) => p.onSigner(JSON.parse(e.target.value) as SignerChoice)}
          data-testid={`${p.testId}-signer`}
        >
          {p.signers.map((s) => (
            <option key={keyOf(s.choice)} value={keyOf(s.choice)} disabled={!s.available}>
              {s.label}
              {!s.available && s.unavailableReason ? `（${s.unavailableReason}）` : ''}
            </option>
          ))}
        </select>
      </dd>
      {chosen?.needsPin && (
        <>
          <dt>{t('issuance.preview.pin')}</dt>
          <dd>
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={p.pin}
              disabled={p.disabled}
              autoFocus
              onChange={(e) => p.onPin(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && p.pin) p.onSeal()
              }}
              data-testid={`${p.testId}-seal-pin`}
            />
          </dd>
        </>
      )}
    </>
  )
}
