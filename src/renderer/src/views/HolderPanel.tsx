import { useEffect } from 'react'
import type { IdCardHolder } from '../../../shared/domain'
import { IdCardPhoto } from '../components/IdCardPhoto'
import { useT } from '../i18n'
import { useApp } from '../stores/app'
import { useSession } from '../stores/session'

function Field({
  label,
  value,
  testId,
  wide,
  note,
}: {
  label: string
  value: string | undefined
  testId: string
  wide?: boolean
  note?: string
}) {
  if (!value) return null
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {value}
        {note && <span className="field-note">{note}</span>}
      </dd>
    </div>
  )
}

/** The fields each kind of card carries, in the order the card prints them. */
function CardFields({ holder }: { holder: IdCardHolder }) {
  const t = useT()
  const validTo = holder.validTo === 'long-term' ? t('holder.longTerm') : holder.validTo
  const nationality = holder.nationality
    ? [holder.nationality, holder.nationalityName].filter(Boolean).join(' ')
    : undefined
  const fingerprints =
    holder.fingerprints === undefined
      ? undefined
      : t(`idcard.fingerprints.${holder.fingerprints as 0 | 1 | 2}`)
  const foreigner = holder.cardType === 'I' || holder.cardType === 'Y'
  return (
    <dl className="fields">
      <Field label={t('holder.sex')} value={t(`holder.sex.${holder.sex}`)} testId="holder-sex" />
      <Field label={t('holder.nation')} value={holder.nation} testId="holder-nation" />
      <Field label={t('holder.nationality')} value={nationality} testId="holder-nationality" />
      <Field label={t('holder.birth')} value={holder.birthDate} testId="holder-birth" />
      <Field label={t('idcard.fingerprints')} value={fingerprints} testId="holder-fingerprints" />
      <Field label={t('holder.passNumber')} value={holder.passNumber} testId="holder-pass-number" />
      <Field label={t('holder.issueCount')} value={holder.issueCount} testId="holder-issue-count" />
      <Field
        label={t('idcard.previousNumber')}
        value={holder.previousCardNumberMasked}
        testId="holder-previous-number"
      />
      <Field
        label={t('idcard.renewalCount')}
        value={holder.renewalCount}
        testId="holder-renewal-count"
      />
      <Field
        label={t('idcard.cardVersion')}
        value={holder.cardVersion}
        testId="holder-card-version"
      />
      <Field label={t('holder.address')} value={holder.address} testId="holder-address" wide />
      <Field
        label={t('idcard.appendedAddress')}
        value={holder.appendedAddress}
        testId="holder-appended-address"
        note={t('idcard.appendedAddressNote')}
        wide
      />
      <Field
        label={t(holder.cardType === 'I' ? 'idcard.authorityCode' : 'holder.authority')}
        value={holder.authority}
        testId="holder-authority"
        wide={!foreigner}
      />
      <Field
        label={t('holder.validity')}
        value={`${holder.validFrom} — ${validTo}`}
        testId="holder-validity"
        wide
      />
    </dl>
  )
}

/** Marks when a newly read holder is on screen: the end of "card placed → holder shown". */
function useShownMark(readAt: string | undefined) {
  useEffect(() => {
    if (!readAt) return
    const frame = requestAnimationFrame(() => {
      performance.clearMarks('holder-shown')
      performance.mark('holder-shown', { detail: readAt })
    })
    return () => cancelAnimationFrame(frame)
  }, [readAt])
}

export function HolderPanel() {
  const t = useT()
  const holder = useSession((s) => s.holder)
  const training = useApp((s) => s.info?.mode === 'training')
  const reading = useApp((s) => s.devices.some((d) => d.kind === 'idcard' && d.state === 'busy'))
  const card = holder?.source === 'idcard' ? holder : undefined
  useShownMark(card?.readAt)
  const readingLine = reading && (
    <p className="reading" role="status" data-testid="holder-reading">
      {t('idcard.reading')}
    </p>
  )
  if (!holder) {
    return (
      <section
        className="panel holder empty"
        aria-labelledby="holder-title"
        data-testid="holder-panel"
      >
        <h2 id="holder-title">{t('holder.title')}</h2>
        {readingLine}
        <div className="empty-state">
          <strong>{t('holder.empty')}</strong>
          <span>{t(training ? 'holder.emptyHintTraining' : 'holder.emptyHint')}</span>
        </div>
      </section>
    )
  }
  if (!card) return null // other sources have their own panels
  const foreigner = card.cardType === 'I' || card.cardType === 'Y'
  // A foreigner card may carry no Chinese name: the English one then leads.
  const leadName = card.name || card.englishName || ''
  return (
    <section
      className="panel holder"
      aria-labelledby="holder-title"
      data-testid="holder-panel"
      data-card-type={card.cardType}
    >
      <h2 id="holder-title">
        {t('holder.title')}
        <span className="card-type" data-testid="holder-card-type">
          {t(`holder.card.${card.cardType}`)}
        </span>
      </h2>
      {readingLine}
      {card.expired && (
        <p className="warning danger" data-testid="holder-expired">
          {t('holder.expired')}
        </p>
      )}
      {!card.idNumberCheckOk && (
        <p className="warning caution" data-testid="holder-checkdigit">
          {t('holder.checkDigit')}
        </p>
      )}
      <div className="holder-head">
        <IdCardPhoto key={card.readAt} photo={card.photo} />
        <div className="holder-id">
          <div className="holder-name" data-testid="holder-name" lang={card.name ? 'zh' : 'en'}>
            {leadName}
          </div>
          {card.englishName && card.name && (
            <div className="holder-english" data-testid="holder-english-name" lang="en">
              {card.englishName}
            </div>
          )}
          <div className="holder-number" data-testid="holder-id-number">
            {foreigner && (
              <span className="number-label">
                {t(`idcard.cardNumber.${card.cardType as 'I' | 'Y'}`)}
              </span>
            )}
            {card.idNumberMasked}
          </div>
          {card.photo.state === 'decoded' && (
            <div className="photo-compare">{t('idcard.photo.compare')}</div>
          )}
        </div>
      </div>
      <CardFields holder={card} />
    </section>
  )
}
