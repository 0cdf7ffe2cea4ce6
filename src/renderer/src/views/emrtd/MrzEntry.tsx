import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { TravelDocumentType } from '../../../../shared/domain'
import { useT, type MessageKey } from '../../i18n'
import { useEmrtd } from '../../stores/emrtd'

type Mode = 'mrz' | 'fields' | 'can'

const HELP: Record<TravelDocumentType, MessageKey> = {
  passport: 'mrz.help.passport',
  cs: 'mrz.help.cs',
  cd: 'mrz.help.cs',
  cr: 'mrz.help.cr',
  ct: 'mrz.help.cr',
  td1: 'mrz.help.other',
  td2: 'mrz.help.other',
}

const CHECK_FIELDS = [
  'documentNumber',
  'birthDate',
  'expiryDate',
  'personalNumber',
  'composite',
] as const

/**
 * The key that opens a chip: the MRZ typed or pasted (check digits verified as it is typed), the
 * three key fields by hand with help for each document type, or the CAN.
 */
export function MrzEntry({ autoFocus }: { autoFocus: boolean }) {
  const t = useT()
  const { draft, setDraft, mrzCheck, submitKey } = useEmrtd()
  const [mode, setMode] = useState<Mode>('mrz')
  const [docType, setDocType] = useState<TravelDocumentType>('passport')
  const [fields, setFields] = useState({ documentNumber: '', birthDate: '', expiryDate: '' })
  const [can, setCan] = useState('')
  const textRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (autoFocus && mode === 'mrz') textRef.current?.focus()
  }, [autoFocus, mode])

  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (mode === 'mrz') {
      const lines = draft
        .split(/\r?\n/)
        .map((l) => l.replace(/\s+/g, '').toUpperCase())
        .filter(Boolean)
      if (lines.length > 0) await submitKey({ kind: 'mrz', lines: lines.slice(0, 3) })
    } else if (mode === 'fields') {
      if (await submitKey({ kind: 'fields', documentType: docType, ...fields }))
        setFields({ documentNumber: '', birthDate: '', expiryDate: '' })
    } else if (await submitKey({ kind: 'can', can })) setCan('')
  }

  const onMrzKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter reads; Shift+Enter starts the next MRZ line.
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      void submit()
    }
  }

  const detected = mrzCheck?.documentType ?? (mode === 'fields' ? docType : undefined)
  return (
    <form className="mrz-entry" onSubmit={(e) => void submit(e)} data-testid="mrz-entry">
      <div className="mrz-tabs" role="tablist" aria-label={t('mrz.title')}>
        {(['mrz', 'fields', 'can'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'mrz-tab current' : 'mrz-tab'}
            onClick={() => setMode(m)}
            data-testid={`mrz-mode-${m}`}
          >
            {t(`mrz.mode.${m}`)}
          </button>
        ))}
      </div>
      {mode === 'mrz' && (
        <>
          <label className="mrz-label" htmlFor="mrz-lines">
            {t('mrz.lines')}
          </label>
          <textarea
            id="mrz-lines"
            ref={textRef}
            className="mrz-lines"
            rows={3}
            spellCheck={false}
            autoCapitalize="characters"
            autoComplete="off"
            value={draft}
            onChange={(e) => setDraft(e.target.value.toUpperCase())}
            onKeyDown={onMrzKey}
            data-testid="mrz-lines"
          />
          <div className="mrz-checks" data-testid="mrz-checks" data-valid={mrzCheck?.valid ?? ''}>
            {mrzCheck?.problem && <span className="mrz-problem">{mrzCheck.problem}</span>}
            {mrzCheck && !mrzCheck.problem && mrzCheck.valid && (
              <span className="badge tone-ok">{t('mrz.valid')}</span>
            )}
            {mrzCheck &&
              !mrzCheck.problem &&
              !mrzCheck.valid &&
              CHECK_FIELDS.filter((f) => f in mrzCheck.checks).map((f) => (
                <span
                  key={f}
                  className={mrzCheck.checks[f] ? 'mrz-check ok' : 'mrz-check bad'}
                  data-testid={`mrz-check-${f}`}
                  data-ok={String(mrzCheck.checks[f])}
                >
                  {mrzCheck.checks[f] ? '✓' : '✗'} {t(`mrz.check.${f}`)}
                </span>
              ))}
          </div>
          <p className="mrz-help">{detected ? t(HELP[detected]) : t('mrz.linesHelp')}</p>
        </>
      )}
      {mode === 'fields' && (
        <div className="mrz-fields">
          <label>
            <span>{t('mrz.documentType')}</span>
            <select
              value={docType}
              onChange={(e) => setDocType(e.target.value as TravelDocumentType)}
              data-testid="mrz-doc-type"
            >
              {(['passport', 'cs', 'cd', 'cr', 'ct'] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`doc.${d}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('mrz.documentNumber')}</span>
            <input
              value={fields.documentNumber}
              autoComplete="off"
              onChange={(e) =>
                setFields({ ...fields, documentNumber: e.target.value.toUpperCase() })
              }
              data-testid="mrz-number"
            />
          </label>
          <label>
            <span>{t('mrz.birthDate')}</span>
            <input
              value={fields.birthDate}
              placeholder={t('mrz.datePlaceholder')}
              onChange={(e) => setFields({ ...fields, birthDate: e.target.value })}
              data-testid="mrz-birth"
            />
          </label>
          <label>
            <span>{t('mrz.expiryDate')}</span>
            <input
              value={fields.expiryDate}
              placeholder={t('mrz.datePlaceholder')}
              onChange={(e) => setFields({ ...fields, expiryDate: e.target.value })}
              data-testid="mrz-expiry"
            />
          </label>
          <p className="mrz-help">{t(HELP[docType])}</p>
        </div>
      )}
      {mode === 'can' && (
        <div className="mrz-fields">
          <label>
            <span>{t('mrz.can')}</span>
            <input
              value={can}
              inputMode="numeric"
              maxLength={6}
              onChange={(e) => setCan(e.target.value.replace(/\D/g, ''))}
              data-testid="mrz-can"
            />
          </label>
          <p className="mrz-help">{t('mrz.canHelp')}</p>
        </div>
      )}
      <div className="mrz-actions">
        <button type="submit" className="button primary" data-testid="mrz-submit">
          {t('mrz.submit')} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  )
}
