import { useEffect, useState } from 'react'
import { MANUAL_HOLDER_TYPES, type ManualHolder } from '../../../shared/domain'
import { asErrorInfo, counter } from '../counter'
import { localiseError, useLanguage, useT, type MessageKey } from '../i18n'
import type { ErrorInfo } from '../../../shared/errors'
import { useLicences } from '../stores/licences'
import { useSession } from '../stores/session'

/** The holder panel for a holder a supervisor typed in: plainly marked, with who and why. */
export function ManualHolderPanel({ holder }: { holder: ManualHolder }) {
  const t = useT()
  return (
    <section
      className="panel holder manual"
      aria-labelledby="holder-title"
      data-testid="holder-panel"
      data-source="manual"
    >
      <h2 id="holder-title">
        {t('holder.title')}
        <span className="card-type">{t('manual.badge')}</span>
      </h2>
      <p className="warning caution" data-testid="holder-manual">
        {t('manual.warning')}
      </p>
      <div className="holder-id">
        <div className="holder-name" data-testid="holder-name">
          {holder.name}
        </div>
        <div className="holder-number" data-testid="holder-id-number">
          {holder.idNumberMasked}
        </div>
      </div>
      <dl className="fields">
        <div className="field wide">
          <dt>{t('manual.type')}</dt>
          <dd>{t(`manual.type.${holder.holderTypeCode}` as MessageKey)}</dd>
        </div>
        <div className="field wide">
          <dt>{t('manual.by')}</dt>
          <dd>{holder.enteredBy}</dd>
        </div>
        <div className="field wide">
          <dt>{t('manual.why')}</dt>
          <dd data-testid="holder-manual-reason">{holder.reason}</dd>
        </div>
      </dl>
    </section>
  )
}

/** Supervisors only: type a holder in when no card, chip or key can identify them. */
export function ManualHolderEntry() {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const caps = useLicences((s) => s.capabilities)
  const epoch = useSession((s) => s.epoch)
  const [open, setOpen] = useState(false)
  const [kind, setKind] = useState<'person' | 'enterprise'>('person')
  const [typeCode, setTypeCode] = useState('111')
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void useLicences.getState().loadCapabilities()
  }, [epoch])
  // Who may do what changes with every sign-in, lock and sign-out.
  useEffect(() => counter().on('auth', () => void useLicences.getState().loadCapabilities()), [])

  if (!caps?.enterHolder) return null
  if (!open)
    return (
      <section className="panel manual-entry" data-testid="manual-entry">
        <button
          type="button"
          className="button subtle small manual-open"
          onClick={() => setOpen(true)}
          data-testid="manual-open"
        >
          {t('manual.open')}
        </button>
      </section>
    )
  return (
    <form
      className="panel manual-form"
      data-testid="manual-form"
      onSubmit={(e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        counter()
          .licences.enterHolder({ kind, holderTypeCode: typeCode, code, name, reason })
          .then((view) => {
            useSession.getState().apply(view)
            setOpen(false)
          })
          .catch((err: unknown) => setError(asErrorInfo(err)))
          .finally(() => setBusy(false))
      }}
    >
      <h3>{t('manual.title')}</h3>
      <label className="field-block">
        <span>{t('manual.kind')}</span>
        <select
          value={kind}
          onChange={(e) => {
            const k = e.target.value as 'person' | 'enterprise'
            setKind(k)
            setTypeCode(MANUAL_HOLDER_TYPES[k][0])
          }}
        >
          <option value="person">{t('manual.kind.person')}</option>
          <option value="enterprise">{t('manual.kind.enterprise')}</option>
        </select>
      </label>
      <label className="field-block">
        <span>{t('manual.type')}</span>
        <select
          value={typeCode}
          onChange={(e) => setTypeCode(e.target.value)}
          data-testid="manual-type"
        >
          {MANUAL_HOLDER_TYPES[kind].map((c) => (
            <option key={c} value={c}>
              {t(`manual.type.${c}` as MessageKey)}（{c}）
            </option>
          ))}
        </select>
      </label>
      <label className="field-block">
        <span>{t('manual.code')}</span>
        <input
          className="search mono"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="manual-code"
        />
      </label>
      <label className="field-block">
        <span>{t('manual.name')}</span>
        <input
          className="search"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="manual-name"
        />
      </label>
      <label className="field-block">
        <span>{t('manual.reason')}</span>
        <input
          className="search"
          value={reason}
          placeholder={t('manual.reasonHint')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="manual-reason"
        />
      </label>
      {error && (
        <p className="warning danger" role="alert" data-testid="manual-error">
          {localiseError(error, language).message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button subtle" onClick={() => setOpen(false)}>
          {t('manual.cancel')}
        </button>
        <button
          type="submit"
          className="button primary"
          disabled={busy || code.trim().length < 4 || !name.trim() || reason.trim().length < 4}
          data-testid="manual-submit"
        >
          {t('manual.submit')}
        </button>
      </div>
    </form>
  )
}

/**
 * The left column's place for manual entry: the holder a supervisor typed in, or — with nobody at
 * the window — the supervisor's way to type one in.
 */
export function ManualHolderSlot() {
  const holder = useSession((s) => s.holder)
  if (holder?.source === 'manual') return <ManualHolderPanel holder={holder} />
  if (holder) return null
  return <ManualHolderEntry />
}
