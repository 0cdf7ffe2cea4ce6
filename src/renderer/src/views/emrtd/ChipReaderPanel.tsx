import { useEffect } from 'react'
import { localiseError, useLanguage, useT } from '../../i18n'
import { useEmrtd } from '../../stores/emrtd'
import { useSession } from '../../stores/session'
import { MrzEntry } from './MrzEntry'
import './emrtd.css'

/**
 * The passport / permit reader: what it is waiting for, the MRZ entry when the chip needs a key,
 * progress while reading, and what to do when reading fails.
 */
export function ChipReaderPanel() {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const reader = useEmrtd((s) => s.reader)
  const retry = useEmrtd((s) => s.retry)
  const clearKey = useEmrtd((s) => s.clearKey)
  const anyHolder = useSession((s) => s.holder !== null)

  useEffect(() => {
    let off: (() => void) | undefined
    let live = true
    void useEmrtd
      .getState()
      .init()
      .then((o) => (live ? (off = o) : o()))
    return () => {
      live = false
      off?.()
    }
  }, [])

  if (!reader.readerPresent && reader.phase === 'idle') {
    return (
      <section className="panel emrtd-panel" data-testid="emrtd-panel" data-phase="absent">
        <h2>{t('emrtd.panel')}</h2>
        <p className="muted small">{t('emrtd.reader.absent')}</p>
      </section>
    )
  }
  const p = reader.progress
  const percent = Math.round((p?.fraction ?? 0) * 100)
  const stepText = p
    ? p.step === 'reading' && p.file
      ? t('emrtd.step.reading', { file: p.file })
      : t(`emrtd.step.${p.step}`)
    : ''
  // The entry is for the chip at hand: asked for, or waiting with nobody identified yet. With an
  // applicant already at the window (by ID card or chip) it stays out of the way.
  const showEntry =
    reader.phase === 'need-key' ||
    (reader.phase === 'idle' && !anyHolder) ||
    (reader.phase === 'failed' && !reader.keyReady)
  const error = reader.error ? localiseError(reader.error, language) : undefined
  return (
    <section
      className="panel emrtd-panel"
      aria-labelledby="emrtd-title"
      data-testid="emrtd-panel"
      data-phase={reader.phase}
    >
      <h2 id="emrtd-title">
        {t('emrtd.panel')}
        {reader.readerLabel && <span className="reader-label">{reader.readerLabel}</span>}
      </h2>
      {reader.phase === 'reading' && (
        <div
          className="chip-progress"
          data-testid="emrtd-progress"
          role="progressbar"
          aria-valuenow={percent}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="chip-progress-text">
            <span>{stepText}</span>
            <span>{t('emrtd.progress', { percent })}</span>
          </div>
          <div className="chip-progress-track">
            <div className="chip-progress-fill" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      {reader.phase === 'failed' && error && (
        <div
          className="warning danger chip-error"
          data-testid="emrtd-error"
          data-code={reader.error?.code}
        >
          <div>{error.message}</div>
          <div className="chip-error-hint">{error.hint}</div>
          <div className="chip-error-actions">
            {reader.chipPresent && reader.keyReady && (
              <button
                type="button"
                className="button small"
                onClick={() => void retry()}
                data-testid="emrtd-retry"
              >
                {t('emrtd.retry')}
              </button>
            )}
            {reader.keyReady && (
              <button type="button" className="button small subtle" onClick={() => void clearKey()}>
                {t('emrtd.enterAgain')}
              </button>
            )}
          </div>
        </div>
      )}
      {reader.phase === 'done' && (
        <p className="muted small" data-testid="emrtd-done">
          {t('emrtd.phase.done')}
        </p>
      )}
      {reader.phase !== 'reading' && reader.phase !== 'done' && (
        <p className="chip-status" data-testid="emrtd-status">
          {reader.phase === 'need-key'
            ? t('emrtd.phase.needKey')
            : reader.keyReady
              ? t('emrtd.keyReady')
              : reader.chipPresent
                ? t('emrtd.reader.chip')
                : t('emrtd.reader.ready')}
        </p>
      )}
      {showEntry && <MrzEntry autoFocus={reader.phase === 'need-key'} />}
    </section>
  )
}
