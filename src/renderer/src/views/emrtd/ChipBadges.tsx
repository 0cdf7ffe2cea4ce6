import type { ChipVerification } from '../../../../shared/domain'
import { useT } from '../../i18n'

const TONE: Record<ChipVerification['passive']['verdict'], 'ok' | 'caution' | 'danger'> = {
  genuine: 'ok',
  'unknown-csca': 'caution',
  altered: 'danger',
  'signature-invalid': 'danger',
  'chain-invalid': 'danger',
  'ds-expired': 'danger',
  malformed: 'danger',
}

function stateTone(state: string): string {
  return state === 'passed' ? 'tone-ok' : state === 'failed' ? 'tone-danger' : 'tone-muted'
}

/** The chip's verdict in one line, at the top of the holder panel where it cannot be missed. */
export function ChipVerdict({ chip }: { chip: ChipVerification }) {
  const t = useT()
  const p = chip.passive
  const tone = TONE[p.verdict]
  const hint =
    tone === 'ok'
      ? 'chip.passive.hint.genuine'
      : tone === 'caution'
        ? 'chip.passive.hint.unknown-csca'
        : 'chip.passive.hint.bad'
  return (
    <div
      className={`chip-verdict verdict-${tone}`}
      data-testid="chip-verdict"
      role={tone === 'ok' ? undefined : 'alert'}
    >
      <strong>{t(`chip.passive.${p.verdict}`)}</strong>
      <span>{t(hint)}</span>
    </div>
  )
}

/** Each protocol's result and the data groups, below the holder's data. */
export function ChipBadges({ chip }: { chip: ChipVerification }) {
  const t = useT()
  const p = chip.passive
  const tone = TONE[p.verdict]
  return (
    <div className="chip-badges" data-testid="chip-badges" data-verdict={p.verdict}>
      <h3>{t('chip.title')}</h3>
      <dl className="chip-checks">
        <div>
          <dt>{t('chip.access')}</dt>
          <dd data-testid="chip-access">{chip.accessControl}</dd>
        </div>
        <div>
          <dt>{t('chip.pa')}</dt>
          <dd>
            <span className={`badge tone-${tone}`} data-testid="chip-pa">
              {t(p.valid ? 'chip.state.passed' : 'chip.state.failed')}
            </span>
            {p.algorithm && <span className="chip-detail">{p.algorithm}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('chip.ca')}</dt>
          <dd>
            <span
              className={`badge ${stateTone(chip.chipAuthentication.state)}`}
              data-testid="chip-ca"
              data-state={chip.chipAuthentication.state}
            >
              {t(`chip.state.${chip.chipAuthentication.state}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('chip.aa')}</dt>
          <dd>
            <span
              className={`badge ${stateTone(chip.active.state)}`}
              data-testid="chip-aa"
              data-state={chip.active.state}
            >
              {t(`chip.state.${chip.active.state}`)}
            </span>
            {chip.active.algorithm && <span className="chip-detail">{chip.active.algorithm}</span>}
          </dd>
        </div>
        <div className="wide">
          <dt>{t('chip.dataGroups')}</dt>
          <dd className="chip-dgs" data-testid="chip-dgs">
            {Object.entries(p.dataGroups).map(([n, ok]) => (
              <span key={n} className={ok ? 'dg ok' : 'dg bad'} data-dg={n} data-ok={String(ok)}>
                DG{n} {ok ? '✓' : '✗'}
              </span>
            ))}
          </dd>
        </div>
        {p.signerSubject && (
          <div className="wide">
            <dt>{t('chip.signer')}</dt>
            <dd className="chip-detail">
              {p.signerCountry ? `${p.signerCountry} · ` : ''}
              {p.signerSubject}
            </dd>
          </div>
        )}
      </dl>
    </div>
  )
}
