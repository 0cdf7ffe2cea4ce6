import { useEffect, useMemo } from 'react'
import type {
  FieldIssue,
  HolderView,
  IssuedLicenceView,
  LicenceTemplateView,
} from '../../../../shared/domain'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT, type MessageKey } from '../../i18n'
import { faceIssues, holderBound, useBulkIssuance, useIssuance } from '../../stores/issuance'
import { useSession } from '../../stores/session'
import { BulkIssuance } from './BulkIssuance'
import { StatusDialog } from './StatusDialog'
import { chosenSigner, SealKeyFields } from './SealKeyFields'
import { issueText } from './texts'
import './issuance.css'

function holderNumber(h: HolderView): string {
  switch (h.source) {
    case 'idcard':
    case 'manual':
      return h.idNumberMasked
    case 'cakey':
      return h.uscc
    case 'emrtd':
      return h.documentNumberMasked
  }
}

const deadlineText = (at: string) => at.slice(0, 16).replace('T', ' ')

function HolderSummary() {
  const t = useT()
  const holder = useSession((s) => s.holder)
  return (
    <section className="panel issuance-holder" data-testid="issuance-holder">
      <h2>{t('issuance.holder.title')}</h2>
      {holder ? (
        <div className="issuance-holder-line">
          <strong data-testid="issuance-holder-name">{holder.name}</strong>
          <span className="mono">{holderNumber(holder)}</span>
        </div>
      ) : (
        <p className="warning caution" data-testid="issuance-no-holder">
          {t('issuance.holder.none')} — {t('issuance.holder.noneHint')}
        </p>
      )}
    </section>
  )
}

function TypePicker() {
  const t = useT()
  const { types, typeCode, phase } = useIssuance()
  const holder = useSession((s) => s.holder)
  const sorted = [...types].sort((a, b) => Number(b.allowedForHolder) - Number(a.allowedForHolder))
  return (
    <section className="panel issuance-types" data-testid="issuance-types">
      <h2>{t('issuance.types.title')}</h2>
      {types.length === 0 && <p className="muted">{t('issuance.types.empty')}</p>}
      <ul className="type-list" role="listbox" aria-label={t('issuance.types.title')}>
        {sorted.map((ty) => {
          const usable = !!holder && ty.allowedForHolder && phase === 'edit'
          return (
            <li key={ty.typeCode}>
              <button
                type="button"
                role="option"
                aria-selected={ty.typeCode === typeCode}
                className={ty.typeCode === typeCode ? 'type-choice chosen' : 'type-choice'}
                disabled={!usable}
                onClick={() => void useIssuance.getState().choose(ty.typeCode)}
                data-testid={`issuance-type-${ty.typeCode}`}
              >
                <span className="type-name">{ty.name}</span>
                <span className="type-meta">
                  {ty.department}
                  {!ty.allowedForHolder && holder && ` · ${t('issuance.types.notAllowed')}`}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function FieldInput({
  field,
  value,
  readOnly,
  issue,
}: {
  field: LicenceTemplateView['fields'][number]
  value: string
  readOnly: boolean
  issue: FieldIssue | undefined
}) {
  const t = useT()
  const id = `face-${field.key}`
  const set = (v: string) => useIssuance.getState().setValue(field.key, v)
  const common = {
    id,
    value,
    disabled: readOnly,
    'aria-invalid': !!issue,
    'aria-describedby': issue ? `${id}-issue` : undefined,
    'data-testid': id,
  }
  let input
  if (field.kind === 'select')
    input = (
      <select {...common} onChange={(e) => set(e.target.value)}>
        <option value="">—</option>
        {field.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    )
  else if (field.kind === 'multiline')
    input = (
      <textarea
        {...common}
        rows={3}
        maxLength={field.maxLength}
        onChange={(e) => set(e.target.value)}
      />
    )
  else
    input = (
      <input
        {...common}
        type={field.kind === 'date' ? 'date' : 'text'}
        inputMode={field.kind === 'integer' ? 'numeric' : undefined}
        maxLength={field.maxLength}
        onChange={(e) => set(e.target.value)}
      />
    )
  return (
    <div
      className={
        field.kind === 'multiline' || (field.kind === 'text' && field.maxLength > 60)
          ? 'face-field wide'
          : 'face-field'
      }
    >
      <label htmlFor={id}>
        {field.label}
        {readOnly && <span className="lock">{t('issuance.form.locked')}</span>}
        {!field.required && !readOnly && (
          <span className="optional">{t('issuance.form.optional')}</span>
        )}
      </label>
      {input}
      {issue && (
        <span className="face-issue" id={`${id}-issue`} role="alert">
          {issueText(t, issue)}
        </span>
      )}
    </div>
  )
}

function FaceForm({ template }: { template: LicenceTemplateView }) {
  const t = useT()
  const { draft, values, validFrom, validTo, touched, showAll, phase } = useIssuance()
  const issues = useMemo(() => faceIssues(template, values), [template, values])
  const bound = holderBound(template)
  const byField = new Map(issues.map((i) => [i.field, i]))
  const longTerm = template.validity.kind === 'long-term'
  return (
    <section className="panel issuance-form" data-testid="issuance-form" data-phase={phase}>
      <h2>
        {t('issuance.form.title')}
        <span className="matter-chosen">{template.name}</span>
        {draft && (
          <span className="fetched-at">
            {t('issuance.form.issuer')}：{draft.issuer.name}
          </span>
        )}
      </h2>
      {!draft ? (
        <div className="progress" role="progressbar">
          <span className="progress-bar" />
        </div>
      ) : (
        <form
          className="face-grid"
          onSubmit={(e) => {
            e.preventDefault()
            void useIssuance.getState().previewNow()
          }}
        >
          {template.fields.map((f) => (
            <FieldInput
              key={f.key}
              field={f}
              value={values[f.key] ?? ''}
              readOnly={bound.has(f.key) || phase !== 'edit'}
              issue={showAll || touched.includes(f.key) ? byField.get(f.key) : undefined}
            />
          ))}
          <fieldset className="face-field wide validity">
            <legend>{t('issuance.form.validity')}</legend>
            <label>
              {t('issuance.form.validFrom')}
              <input
                type="date"
                value={validFrom}
                disabled={phase !== 'edit'}
                onChange={(e) => useIssuance.getState().setValidity({ validFrom: e.target.value })}
                data-testid="issuance-valid-from"
              />
            </label>
            <label>
              {t('issuance.form.validTo')}
              {longTerm ? (
                <strong className="long-term">{t('issuance.form.longTerm')}</strong>
              ) : (
                <input
                  type="date"
                  value={validTo}
                  disabled={phase !== 'edit'}
                  onChange={(e) => useIssuance.getState().setValidity({ validTo: e.target.value })}
                  data-testid="issuance-valid-to"
                />
              )}
            </label>
          </fieldset>
          <div className="form-actions">
            {showAll && issues.length > 0 && (
              <span className="face-issue" data-testid="issuance-fix">
                {t('issuance.form.fix', { n: issues.length })}
              </span>
            )}
            <button
              type="submit"
              className="button primary"
              disabled={phase !== 'edit'}
              data-testid="issuance-preview"
            >
              {phase === 'previewing' ? t('issuance.form.previewing') : t('issuance.form.preview')}
              <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

function PreviewPanel() {
  const t = useT()
  const { preview, phase, signers, signer, pin } = useIssuance()
  if (!preview) return null
  const chosen = chosenSigner(signers, signer)
  const page = preview.pages[0]
  return (
    <section
      className="panel issuance-preview"
      data-testid="issuance-preview-panel"
      data-phase={phase}
    >
      <h2>
        {t('issuance.preview.title')}
        <span className="fetched-at">{t('issuance.preview.note')}</span>
      </h2>
      <div className="preview-body">
        {page && (
          <img
            className="preview-page"
            src={page.image}
            alt={t('issuance.preview.title')}
            style={{ aspectRatio: `${page.widthMm} / ${page.heightMm}` }}
            data-testid="issuance-preview-image"
          />
        )}
        <dl className="preview-facts">
          <dt>{t('issuance.preview.identifier')}</dt>
          <dd className="mono" data-testid="issuance-identifier">
            {preview.identifier}
          </dd>
          <dt>{t('issuance.preview.number')}</dt>
          <dd className="mono">{preview.number}</dd>
          <dt>{t('issuance.preview.digest')}</dt>
          <dd className="mono small digest">
            {preview.sm3} · {t('issuance.preview.size', { kb: (preview.bytes / 1024).toFixed(1) })}
          </dd>
          <SealKeyFields
            signers={signers}
            signer={signer}
            pin={pin}
            disabled={phase !== 'preview'}
            onSigner={(choice) => useIssuance.setState({ signer: choice, pin: '' })}
            onPin={(value) => useIssuance.setState({ pin: value })}
            onSeal={() => void useIssuance.getState().sign()}
            testId="issuance"
          />
        </dl>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="button subtle"
          disabled={phase !== 'preview'}
          onClick={() => useIssuance.getState().back()}
        >
          {t('issuance.preview.back')} <kbd>Esc</kbd>
        </button>
        <button
          type="button"
          className="button primary"
          disabled={phase !== 'preview' || !signer || (chosen?.needsPin === true && !pin)}
          autoFocus={!chosen?.needsPin}
          onClick={() => void useIssuance.getState().sign()}
          data-testid="issuance-sign"
        >
          {phase === 'signing' ? t('issuance.preview.signing') : t('issuance.preview.sign')}
          <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  )
}

function IssuedPanel({ issued }: { issued: IssuedLicenceView }) {
  const t = useT()
  const recent = useIssuance((s) => s.recent.find((r) => r.identifier === issued.identifier))
  const pending = (recent ?? issued).pending
  const validTo = issued.validTo === '长期' ? t('issuance.form.longTerm') : issued.validTo
  return (
    <section className="panel issuance-done" data-testid="issuance-done">
      <h2>{t('issuance.done.title')}</h2>
      <div className="done-body">
        <div>
          <p className="done-line">
            <strong>{issued.typeName}</strong>
          </p>
          <dl className="preview-facts">
            <dt>{t('issuance.holder.title')}</dt>
            <dd>
              {issued.holderNameMasked} <span className="mono">{issued.holderCodeMasked}</span>
            </dd>
            <dt>{t('issuance.preview.number')}</dt>
            <dd className="mono">{issued.number}</dd>
            <dt>{t('issuance.preview.identifier')}</dt>
            <dd className="mono small">{issued.identifier}</dd>
            <dt>{t('issuance.form.validity')}</dt>
            <dd>
              {issued.validFrom} — {validTo} · {t(`issuance.mode.${issued.mode}` as MessageKey)}
            </dd>
          </dl>
          {pending ? (
            <p className="warning caution" data-testid="issuance-done-deadline">
              {t('issuance.done.waiting')} ·{' '}
              {t('issuance.done.deadline', { deadline: deadlineText(pending.deadline.at) })}
              {pending.deadline.provisional && t('issuance.done.provisional')}
            </p>
          ) : (
            <p className="warning ok" data-testid="issuance-done-pushed">
              {t('issuance.done.pushed')}
            </p>
          )}
        </div>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="button subtle"
          onClick={() => useIssuance.getState().another()}
          data-testid="issuance-another"
        >
          {t('issuance.done.another')}
        </button>
        <button
          type="button"
          className="button primary"
          autoFocus
          onClick={() => {
            useIssuance.getState().reset()
            void useSession.getState().next()
          }}
          data-testid="issuance-next-applicant"
        >
          {t('issuance.done.next')} <kbd>F12</kbd>
        </button>
      </div>
    </section>
  )
}

const statusTone = (status: string) =>
  ['有效', '延续'].includes(status)
    ? 'ok'
    : ['挂起', '质押'].includes(status)
      ? 'caution'
      : 'danger'

function RecentList() {
  const t = useT()
  const recent = useIssuance((s) => s.recent)
  return (
    <section className="panel issuance-recent" data-testid="issuance-recent">
      <h2>{t('issuance.recent.title')}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t('issuance.recent.empty')}</p>
      ) : (
        <table className="licence-table compact">
          <tbody>
            {recent.map((l) => (
              <tr
                key={l.identifier}
                data-testid="issuance-recent-row"
                data-identifier={l.identifier}
              >
                <td className="recent-licence">
                  <span className="type">{l.typeName}</span>
                  <span className="muted small">
                    {l.holderNameMasked} · {l.issuedAt.slice(5, 10)}
                  </span>
                </td>
                <td className="nowrap">
                  <span className={`badge tone-${statusTone(l.status)}`}>{l.status}</span>
                </td>
                <td className="nowrap small">
                  {l.pending
                    ? l.pending.state === 'parked'
                      ? t('issuance.recent.parked')
                      : t('issuance.recent.pending')
                    : t('issuance.recent.sent')}
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="button small"
                    disabled={l.actions.length === 0}
                    onClick={() => useIssuance.getState().openStatus(l)}
                    data-testid="issuance-change-status"
                  >
                    {t('issuance.recent.change')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function NextStep() {
  const t = useT()
  const { typeCode, phase } = useIssuance()
  const holder = useSession((s) => s.holder)
  const key: MessageKey = !holder
    ? 'issuance.holder.noneHint'
    : phase === 'issued'
      ? 'issuance.next.done'
      : phase === 'preview' || phase === 'signing'
        ? 'issuance.next.sign'
        : typeCode
          ? 'issuance.next.fill'
          : 'issuance.next.pick'
  return (
    <footer className="next-action" data-testid="issuance-next">
      <span className="next-text">{t(key)}</span>
    </footer>
  )
}

/** 单张签发 (to the applicant at the window) or 批量签发 (a supervisor's list): B switches. */
function ModeSwitch() {
  const t = useT()
  const mode = useBulkIssuance((s) => s.mode)
  return (
    <section className="panel issuance-mode" data-testid="issuance-mode">
      <div className="mode-tabs" role="tablist" aria-label={t('issuance.mode.switch')}>
        {(['single', 'bulk'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'mode-tab current' : 'mode-tab'}
            onClick={() => useBulkIssuance.getState().setMode(m)}
            data-testid={`issuance-mode-${m}`}
          >
            {t(m === 'single' ? 'issuance.mode.single' : 'issuance.mode.bulk')}
            {mode !== m && <kbd>B</kbd>}
          </button>
        ))}
      </div>
    </section>
  )
}

/** Issuing licences: one to the applicant at the window, or a supervisor's bulk list. */
export function IssuanceView() {
  const mode = useBulkIssuance((s) => s.mode)
  const hotkeys = useMemo(
    () => ({
      b: () => useBulkIssuance.getState().setMode(mode === 'bulk' ? 'single' : 'bulk'),
      B: () => useBulkIssuance.getState().setMode(mode === 'bulk' ? 'single' : 'bulk'),
    }),
    [mode],
  )
  useHotkeys(hotkeys)
  return mode === 'bulk' ? <BulkIssuance modeSwitch={<ModeSwitch />} /> : <SingleIssuance />
}

/** Issuing a licence to the applicant at the window, and changing the status of those issued. */
function SingleIssuance() {
  const t = useT()
  const { types, typeCode, phase, issued, changing } = useIssuance()
  const readAt = useSession((s) => s.holder?.readAt)
  const template = types.find((x) => x.typeCode === typeCode)

  useEffect(() => useIssuance.getState().follow(), [])

  // A new applicant (or none): the form starts over; which types they may receive changes too.
  useEffect(() => {
    useIssuance.getState().reset()
    void useIssuance.getState().load()
  }, [readAt])

  const hotkeys = useMemo(
    () => ({
      F12: () => {
        useIssuance.getState().reset()
        void useSession.getState().next()
      },
      ...(changing ? {} : { Escape: () => useIssuance.getState().back() }),
    }),
    [changing],
  )
  useHotkeys(hotkeys)

  return (
    <>
      <main className="workspace issuance" data-testid="issuance-view">
        <aside className="left-column">
          <ModeSwitch />
          <HolderSummary />
          <TypePicker />
          <RecentList />
        </aside>
        <div className="issuance-main">
          {phase === 'issued' && issued ? (
            <IssuedPanel issued={issued} />
          ) : template ? (
            <>
              {phase !== 'preview' && phase !== 'signing' && <FaceForm template={template} />}
              <PreviewPanel />
            </>
          ) : (
            <section className="panel">
              <p className="muted">{t('issuance.form.pick')}</p>
            </section>
          )}
        </div>
      </main>
      <NextStep />
      {changing && <StatusDialog licence={changing} />}
    </>
  )
}
