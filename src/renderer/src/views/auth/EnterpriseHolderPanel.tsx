import type { EnterpriseHolder } from '../../../../shared/domain'
import { useT } from '../../i18n'
import { useSession } from '../../stores/session'
import './auth.css'

function Field({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="field wide">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}

const day = (iso: string) => iso.slice(0, 10)

/** Beside the card holder panel: shown when the applicant was identified by an enterprise CA key. */
export function EnterpriseHolderSlot() {
  const holder = useSession((s) => s.holder)
  return holder?.source === 'cakey' ? <EnterpriseHolderPanel holder={holder} /> : null
}

/** The applicant at the window is an enterprise, identified by its CA key. */
export function EnterpriseHolderPanel({ holder }: { holder: EnterpriseHolder }) {
  const t = useT()
  const tone = holder.revocation === 'good' ? 'ok' : 'caution'
  return (
    <section
      className="panel holder enterprise"
      aria-labelledby="holder-title"
      data-testid="holder-panel"
      data-source="cakey"
    >
      <h2 id="holder-title">
        {t('enterprise.title')}
        <span className="card-type">{t('enterprise.source')}</span>
      </h2>
      {!holder.usccCheckOk && (
        <p className="warning caution" data-testid="holder-checkdigit">
          {t('enterprise.usccCheck')}
        </p>
      )}
      <div className="holder-head">
        <div className="enterprise-mark" aria-hidden="true">
          企
        </div>
        <div className="holder-id">
          <div className="holder-name" data-testid="holder-name">
            {holder.name}
          </div>
          <div className="holder-number" data-testid="holder-uscc">
            {holder.uscc}
          </div>
          <div className="muted small">{t('enterprise.uscc')}</div>
        </div>
      </div>
      <p
        className={`revocation tone-${tone}`}
        data-testid="holder-revocation"
        data-state={holder.revocation}
      >
        {t(`enterprise.revocation.${holder.revocation}`)}
      </p>
      <dl className="fields">
        <Field
          label={t('enterprise.certIssuer')}
          value={holder.certificate.issuer}
          testId="holder-cert-issuer"
        />
        <Field
          label={t('enterprise.certSerial')}
          value={holder.certificate.serialNumber}
          testId="holder-cert-serial"
        />
        <Field
          label={t('enterprise.certValidity')}
          value={`${day(holder.certificate.notBefore)} — ${day(holder.certificate.notAfter)}`}
          testId="holder-cert-validity"
        />
        <Field label={t('enterprise.key')} value={holder.keyLabel} testId="holder-key" />
      </dl>
      <p className="muted small">{t('enterprise.removeHint')}</p>
    </section>
  )
}
