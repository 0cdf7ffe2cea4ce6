import type { EmrtdHolder } from '../../../../shared/domain'
import { useT } from '../../i18n'
import { useSession } from '../../stores/session'
import { ChipBadges, ChipVerdict } from './ChipBadges'
import { IdentityChecks } from './IdentityChecks'
import './emrtd.css'

function Field({
  label,
  value,
  testId,
  wide,
}: {
  label: string
  value: string | undefined
  testId: string
  wide?: boolean
}) {
  if (!value) return null
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}

function Face({ photo }: { photo: EmrtdHolder['photo'] }) {
  const t = useT()
  if (photo.state === 'decoded')
    return (
      <figure className="chip-face">
        <img
          className="photo"
          src={photo.dataUrl}
          alt=""
          data-testid="chip-photo"
          data-format={photo.format}
        />
        {photo.format === 'jpeg2000' && <figcaption>{t('doc.photo.jpeg2000')}</figcaption>}
      </figure>
    )
  return (
    <div className="photo placeholder" data-testid="photo-placeholder" data-state={photo.state}>
      <svg viewBox="0 0 102 126" aria-hidden="true">
        <circle cx="51" cy="46" r="22" />
        <path d="M12 126c4-30 20-44 39-44s35 14 39 44z" />
      </svg>
      <span>{t(photo.state === 'failed' ? 'doc.photo.failed' : 'doc.photo.none')}</span>
    </div>
  )
}

/** A passport or permit holder identified by chip: the chip's face and MRZ data, and how far to trust them. */
export function DocumentHolderPanel({ holder }: { holder: EmrtdHolder }) {
  const t = useT()
  const sex = t(`holder.sex.${holder.sex}`)
  const badChecks = Object.entries(holder.mrzChecks)
    .filter(([, ok]) => ok === false)
    .map(([k]) =>
      t(`mrz.check.${k as 'documentNumber' | 'birthDate' | 'expiryDate' | 'composite'}`),
    )
  return (
    <section
      className="panel holder document-holder"
      aria-labelledby="holder-title"
      data-testid="holder-panel"
      data-source="emrtd"
      data-document-type={holder.documentType}
    >
      <h2 id="holder-title">
        {t('holder.title')}
        <span className="card-type">{t(`doc.${holder.documentType}`)}</span>
        <span className="fetched-at">
          {t('chip.readIn', { seconds: (holder.readMs / 1000).toFixed(1) })}
        </span>
      </h2>
      <ChipVerdict chip={holder.chip} />
      {holder.expired && (
        <p className="warning danger" data-testid="holder-expired">
          {t('doc.expired')}
        </p>
      )}
      {badChecks.length > 0 && (
        <p className="warning caution" data-testid="holder-checkdigit">
          {t('doc.mrzChecks', { fields: badChecks.join('、') })}
        </p>
      )}
      <div className="holder-head">
        <Face photo={holder.photo} />
        <div className="holder-id">
          <div className="holder-name" data-testid="holder-name">
            {holder.name}
          </div>
          {holder.latinName && holder.latinName !== holder.name && (
            <div className="holder-english" data-testid="holder-latin-name">
              {holder.latinName}
            </div>
          )}
          <div className="holder-number" data-testid="holder-id-number">
            <span className="number-label">{t('doc.documentNumber')}</span>
            {holder.documentNumberMasked}
          </div>
        </div>
      </div>
      <dl className="fields">
        <Field label={t('holder.sex')} value={sex} testId="holder-sex" />
        <Field label={t('holder.birth')} value={holder.birthDate} testId="holder-birth" />
        <Field
          label={t('doc.nationality')}
          value={holder.nationality}
          testId="holder-nationality"
        />
        <Field label={t('doc.validTo')} value={holder.validTo} testId="holder-validity" />
        <Field
          label={t('doc.issuingAuthority')}
          value={holder.issuingAuthority}
          testId="holder-authority"
          wide
        />
        <Field label={t('doc.dateOfIssue')} value={holder.dateOfIssue} testId="holder-issued" />
        <Field
          label={t('doc.placeOfBirth')}
          value={holder.placeOfBirth}
          testId="holder-place-of-birth"
        />
        <Field
          label={t('doc.regionalId')}
          value={holder.regionalIdMasked}
          testId="holder-regional-id"
        />
      </dl>
      <ChipBadges chip={holder.chip} />
      <IdentityChecks readAt={holder.readAt} />
    </section>
  )
}

/** Shows the chip holder's panel when the applicant at the window was identified by chip. */
export function DocumentHolderSlot() {
  const holder = useSession((s) => s.holder)
  return holder?.source === 'emrtd' ? <DocumentHolderPanel holder={holder} /> : null
}
