import { useState } from 'react'
import { Dialog } from '../components/Dialog'
import { localiseError, useLanguage, useT } from '../i18n'
import { useApp } from '../stores/app'
import { useLicences } from '../stores/licences'
import { SealBadge } from './LicenceList'

/**
 * A licence QR code from the applicant's phone: a scanner types it into the field and presses
 * Enter, or the clerk pastes it. The core looks it up, checks it belongs to this applicant and
 * matter, and verifies it.
 */
export function QrEntry() {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const qr = useLicences((s) => s.qr)
  const samples = useLicences((s) => s.qrSamples)
  const training = useApp((s) => s.info?.mode === 'training')
  const { closeQr, lookupQr, open } = useLicences.getState()
  const [content, setContent] = useState('')

  if (qr.state === 'closed') return null
  const close = () => (setContent(''), closeQr())
  return (
    <Dialog
      title={t('qr.title')}
      testId="qr-dialog"
      className="wide"
      state={qr.state}
      onEscape={close}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (content.trim().length >= 8) void lookupQr(content)
        }}
      >
        <label className="field-block">
          <span>{t('qr.input')}</span>
          <input
            className="search mono"
            autoFocus
            value={content}
            onChange={(e) => setContent(e.target.value)}
            disabled={qr.state === 'looking'}
            data-testid="qr-input"
          />
          <small className="muted">{t('qr.hint')}</small>
        </label>
        {training && samples.length > 0 && (
          <label className="field-block training-field">
            <span>{t('qr.samples')}</span>
            <select
              value=""
              onChange={(e) => {
                setContent(e.target.value)
                if (e.target.value) void lookupQr(e.target.value)
              }}
              data-testid="qr-samples"
            >
              <option value="">{t('qr.pickSample')}</option>
              {samples.map((s) => (
                <option key={s.content} value={s.content}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {qr.state === 'open' && qr.error && (
          <p
            className="warning danger"
            role="alert"
            data-testid="qr-error"
            data-code={qr.error.code}
          >
            {localiseError(qr.error, language).message}
            <br />
            <small>{localiseError(qr.error, language).hint}</small>
          </p>
        )}
        {qr.state === 'looking' && (
          <div className="progress" role="progressbar" aria-label={t('qr.looking')}>
            <span className="progress-bar" />
            <span>{t('qr.looking')}</span>
          </div>
        )}
        {qr.state === 'found' && (
          <div
            className={`qr-result verdict-${qr.result.verification.verdict}`}
            data-testid="qr-result"
            data-verdict={qr.result.verification.verdict}
          >
            <p>
              <strong>{qr.result.summary.typeName}</strong> {qr.result.summary.number} ·{' '}
              {qr.result.verification.status.label} ·{' '}
              <SealBadge seal={qr.result.verification.seal} />
            </p>
            <ul>
              {qr.result.verification.findings.map((f, i) => (
                <li key={i} className={`finding tone-${f.tone}`}>
                  {t(`finding.${f.code}`, { detail: f.detail ?? '' })}
                </li>
              ))}
            </ul>
            <p className="muted small">{t('qr.found')}</p>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button subtle" onClick={close}>
            {t('qr.close')}
          </button>
          {qr.state === 'found' && (
            <button
              type="button"
              className="button"
              onClick={() => {
                const id = qr.result.summary.identifier
                closeQr()
                void open(id)
              }}
              data-testid="qr-open"
            >
              {t('licence.open')}
            </button>
          )}
          <button
            type="submit"
            className="button primary"
            disabled={qr.state === 'looking' || content.trim().length < 8}
            data-testid="qr-lookup"
          >
            {t('qr.lookup')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
