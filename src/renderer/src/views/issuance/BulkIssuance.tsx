/**
 * 批量签发: a supervisor imports a CSV list for one licence type, sees every problem (row, column,
 * what is wrong) or the rows and the first licence as it will be sealed, seals the batch with
 * progress, and can cancel between licences and resume later. Clerks see why they may not.
 */
import { useEffect, useMemo, useRef } from 'react'
import {
  BULK_DERIVED_PREFILLS,
  BULK_LIMITS,
  bulkHeader,
  type BulkBatchView,
  type BulkDetail,
  type BulkProblem,
  type FieldIssue,
  isFieldRuleCode,
} from '../../../../shared/domain'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT, type MessageKey } from '../../i18n'
import { useAuth } from '../../stores/auth'
import { useBulkIssuance, useIssuance } from '../../stores/issuance'
import { chosenSigner, SealKeyFields } from './SealKeyFields'
import { issueText } from './texts'

type T = ReturnType<typeof useT>

/** A problem in the supervisor's language: field rules as the form says them, the rest here. */
export function bulkProblemText(t: T, p: BulkProblem): string {
  if (p.code === 'option') return t('issuance.bulk.problem.option')
  if (isFieldRuleCode(p.code)) return issueText(t, p as Pick<FieldIssue, 'code' | 'params'>)
  const params = { ...p.params }
  if (p.code === 'holder-code')
    return t(`issuance.bulk.holderCode.${String(params.reason)}` as MessageKey, params)
  if (p.code === 'validity')
    return t(`issuance.bulk.validity.${String(params.problem)}` as MessageKey, params)
  return t(`issuance.bulk.problem.${p.code}` as MessageKey, params)
}

const stateTone = (s: BulkBatchView['state']) =>
  s === 'done' ? 'tone-ok' : s === 'running' || s === 'ready' ? '' : 'tone-caution'

const left = (b: BulkBatchView) => b.total - b.done
const resumable = (b: BulkBatchView) =>
  b.state === 'ready' ||
  b.state === 'cancelled' ||
  b.state === 'failed' ||
  b.state === 'interrupted'

function BatchList() {
  const t = useT()
  const { batches, detail } = useBulkIssuance()
  return (
    <section className="panel issuance-recent" data-testid="bulk-batches">
      <h2>{t('issuance.bulk.list.title')}</h2>
      {batches.length === 0 ? (
        <p className="muted">{t('issuance.bulk.list.empty')}</p>
      ) : (
        <ul className="type-list">
          {batches.map((b) => (
            <li key={b.batchNo}>
              <button
                type="button"
                className={
                  detail?.batch.batchNo === b.batchNo ? 'type-choice chosen' : 'type-choice'
                }
                disabled={useBulkIssuance.getState().busy || detail?.batch.state === 'running'}
                onClick={() => void useBulkIssuance.getState().open(b.batchNo)}
                data-testid="bulk-batch-row"
                data-batch={b.batchNo}
                data-state={b.state}
              >
                <span className="type-name">
                  {b.typeName}{' '}
                  <span className={`badge ${stateTone(b.state)}`}>
                    {t(`issuance.bulk.state.${b.state}`)}
                  </span>
                </span>
                <span className="type-meta mono">
                  {b.batchNo} · {t('issuance.bulk.list.counts', { done: b.done, total: b.total })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function PickList() {
  const t = useT()
  const types = useIssuance((s) => s.types)
  const { typeCode, step, busy } = useBulkIssuance()
  const file = useRef<HTMLInputElement>(null)
  const template = types.find((x) => x.typeCode === typeCode)
  const header = template ? bulkHeader(template.fields) : []
  const choose = () => {
    if (typeCode && !busy) file.current?.click()
  }
  return (
    <section className="panel bulk-pick" data-testid="bulk-pick">
      <h2>{t('issuance.bulk.title')}</h2>
      <p className="muted">{t('issuance.bulk.intro')}</p>
      <div className="bulk-pick-row">
        <label htmlFor="bulk-type">{t('issuance.bulk.type')}</label>
        <select
          id="bulk-type"
          value={typeCode}
          autoFocus
          disabled={busy}
          onChange={(e) => useBulkIssuance.getState().setType(e.target.value)}
          // The catalogue may have arrived from the library since the view opened.
          onFocus={() => types.length === 0 && void useIssuance.getState().load()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              choose()
            }
          }}
          data-testid="bulk-type"
        >
          <option value="">{t('issuance.bulk.typePick')}</option>
          {types.map((ty) => (
            <option key={ty.typeCode} value={ty.typeCode}>
              {ty.name}（{ty.department}）
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button primary"
          disabled={!typeCode || busy}
          onClick={choose}
          data-testid="bulk-choose"
        >
          {step === 'importing' ? t('issuance.bulk.importing') : t('issuance.bulk.choose')}
          <kbd>Enter</kbd>
        </button>
        <input
          ref={file}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid="bulk-file"
          onChange={(e) => {
            const f = e.target.files?.[0]
            e.target.value = ''
            if (f) void useBulkIssuance.getState().importFile(f)
          }}
        />
      </div>
      <p className="muted small">
        {t('issuance.bulk.limits', {
          mb: BULK_LIMITS.maxBytes / 1048576,
          rows: BULK_LIMITS.maxRows,
        })}
      </p>
      {template && (
        <div className="bulk-header-hint">
          <p className="small">{t('issuance.bulk.header')}</p>
          <code className="mono small" data-testid="bulk-header">
            {header.join(',')}
          </code>
        </div>
      )}
      {step === 'importing' && (
        <div className="progress" role="progressbar">
          <span className="progress-bar" />
        </div>
      )}
    </section>
  )
}

function Problems() {
  const t = useT()
  const check = useBulkIssuance((s) => s.check)
  if (!check) return null
  return (
    <section className="panel bulk-problems" data-testid="bulk-problems" role="alert">
      <h2 className="result-bad">{t('issuance.bulk.problems.title', { n: check.problemCount })}</h2>
      <p className="muted small">
        {t('issuance.bulk.file', {
          name: check.fileName,
          encoding: t(`issuance.bulk.encoding.${check.encoding}`),
        })}{' '}
        · {check.typeName}
      </p>
      <table className="licence-table compact">
        <thead>
          <tr>
            <th>{t('issuance.bulk.problems.row')}</th>
            <th>{t('issuance.bulk.problems.column')}</th>
            <th>{t('issuance.bulk.problems.what')}</th>
          </tr>
        </thead>
        <tbody>
          {check.problems.map((p, i) => (
            <tr key={i} data-testid="bulk-problem" data-row={p.row} data-code={p.code}>
              <td className="mono nowrap">{p.row}</td>
              <td className="nowrap">
                {p.columnLetter && <span className="mono">{p.columnLetter} </span>}
                {p.column}
              </td>
              <td>{bulkProblemText(t, p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {check.problemCount > check.problems.length && (
        <p className="muted small">
          {t('issuance.bulk.problems.more', {
            shown: check.problems.length,
            n: check.problemCount,
          })}
        </p>
      )}
      <p className="small">{t('issuance.bulk.problems.fix')}</p>
      <div className="form-actions">
        <button
          type="button"
          className="button primary"
          autoFocus
          onClick={() => useBulkIssuance.getState().back()}
          data-testid="bulk-again"
        >
          {t('issuance.bulk.again')} <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  )
}

function Rows({ detail }: { detail: BulkDetail }) {
  const t = useT()
  const types = useIssuance((s) => s.types)
  const template = types.find((x) => x.typeCode === detail.batch.typeCode)
  // A few face fields from the list itself (not those the holder columns give), to recognise rows.
  const extra = (template?.fields ?? [])
    .filter((f) => !f.prefill || !BULK_DERIVED_PREFILLS.includes(f.prefill))
    .slice(0, 2)
  const longTerm = t('issuance.form.longTerm')
  return (
    <div className="bulk-rows">
      <h3 className="small">
        {t('issuance.bulk.rows.title')}
        {detail.rows.length < detail.batch.total && (
          <span className="muted">
            {' '}
            ·{' '}
            {t('issuance.bulk.rows.shown', {
              shown: detail.rows.length,
              total: detail.batch.total,
            })}
          </span>
        )}
      </h3>
      <div className="bulk-rows-scroll">
        <table className="licence-table compact" data-testid="bulk-rows">
          <thead>
            <tr>
              <th>{t('issuance.bulk.rows.row')}</th>
              <th>{t('issuance.bulk.rows.holder')}</th>
              <th>{t('issuance.bulk.rows.code')}</th>
              {extra.map((f) => (
                <th key={f.key}>{f.label}</th>
              ))}
              <th>{t('issuance.bulk.rows.validity')}</th>
              <th>{t('issuance.bulk.rows.number')}</th>
              <th>{t('issuance.bulk.rows.state')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.rows.map((r) => (
              <tr key={r.seq} data-testid="bulk-row" data-state={r.state}>
                <td className="mono">{r.row}</td>
                <td className="nowrap">{r.holderName}</td>
                <td className="mono nowrap" data-testid="bulk-row-code">
                  {r.holderCodeMasked}
                </td>
                {extra.map((f) => (
                  <td key={f.key} className="clip" title={r.values[f.key]}>
                    {r.values[f.key]}
                  </td>
                ))}
                <td className="nowrap small">
                  {r.validFrom} — {r.validTo === 'long-term' ? longTerm : r.validTo}
                </td>
                <td className="mono small">{r.number}</td>
                <td className="nowrap">
                  <span className={`badge ${r.state === 'issued' ? 'tone-ok' : ''}`}>
                    {t(`issuance.bulk.rows.${r.state}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function SignerChoice({ disabled }: { disabled: boolean }) {
  const { signers, signer, pin } = useBulkIssuance()
  return (
    <dl className="preview-facts">
      <SealKeyFields
        signers={signers}
        signer={signer}
        pin={pin}
        disabled={disabled}
        onSigner={(choice) => useBulkIssuance.setState({ signer: choice, pin: '' })}
        onPin={(value) => useBulkIssuance.setState({ pin: value })}
        onSeal={() => void useBulkIssuance.getState().run()}
        testId="bulk"
      />
    </dl>
  )
}

function Batch({ detail }: { detail: BulkDetail }) {
  const t = useT()
  const { signers, signer, pin, busy } = useBulkIssuance()
  const b = detail.batch
  const chosen = chosenSigner(signers, signer)
  const running = b.state === 'running'
  const pct = b.total ? Math.round((b.done * 100) / b.total) : 100
  const page = detail.preview?.pages[0]
  const canRun = resumable(b) && !!signer && !busy && !(chosen?.needsPin && !pin)
  // Enter seals: the button takes the focus once it can be used (the signers arrive after it shows).
  const signButton = useRef<HTMLButtonElement>(null)
  const focusSign = canRun && !chosen?.needsPin
  useEffect(() => {
    if (focusSign) signButton.current?.focus()
  }, [focusSign, b.batchNo, b.state])
  return (
    <section className="panel bulk-batch" data-testid="bulk-batch" data-state={b.state}>
      <h2>
        {t('issuance.bulk.batch', { batch: b.batchNo })}
        <span className={`badge ${stateTone(b.state)}`} data-testid="bulk-state">
          {t(`issuance.bulk.state.${b.state}`)}
        </span>
        <span className="fetched-at" data-testid="bulk-count">
          {t('issuance.bulk.count', { type: b.typeName, total: b.total, done: b.done })}
        </span>
      </h2>
      {(running || b.done > 0) && (
        <div className="bulk-progress">
          <div
            className="bulk-meter"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={b.total}
            aria-valuenow={b.done}
            data-testid="bulk-meter"
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          <div className="small" data-testid="bulk-progress">
            {t('issuance.bulk.progress', { done: b.done, total: b.total })}
            {running && b.currentRow !== undefined && (
              <span className="muted"> · {t('issuance.bulk.current', { row: b.currentRow })}</span>
            )}
          </div>
        </div>
      )}
      {b.state === 'done' && (
        <p className="warning ok" data-testid="bulk-done">
          {t('issuance.bulk.done', { total: b.total })}
        </p>
      )}
      {(b.state === 'cancelled' || b.state === 'failed' || b.state === 'interrupted') && (
        <p className="warning caution" data-testid="bulk-stopped">
          {b.error &&
            `${t('issuance.bulk.error', { row: b.error.row ?? '—', message: b.error.message })} `}
          {t('issuance.bulk.stopped', { done: b.done, total: b.total })}
        </p>
      )}
      <div className={detail.preview && !running ? 'bulk-body with-preview' : 'bulk-body'}>
        <Rows detail={detail} />
        {detail.preview && page && !running && (
          <figure className="bulk-preview">
            <figcaption className="small">
              {t('issuance.bulk.preview.title', { row: detail.preview.row })} ·{' '}
              <span className="mono">{detail.preview.number}</span>
            </figcaption>
            <img
              className="preview-page"
              src={page.image}
              alt={t('issuance.bulk.preview.title', { row: detail.preview.row })}
              style={{ aspectRatio: `${page.widthMm} / ${page.heightMm}` }}
              data-testid="bulk-preview-image"
            />
          </figure>
        )}
      </div>
      {resumable(b) && <SignerChoice disabled={busy} />}
      <div className="form-actions">
        {running ? (
          <button
            type="button"
            className="button"
            autoFocus
            onClick={() => void useBulkIssuance.getState().cancel()}
            data-testid="bulk-cancel"
          >
            {t('issuance.bulk.cancel')} <kbd>Esc</kbd>
          </button>
        ) : (
          <>
            <button
              type="button"
              className="button subtle"
              onClick={() => useBulkIssuance.getState().back()}
              data-testid="bulk-back"
            >
              {t('issuance.bulk.back')} <kbd>Esc</kbd>
            </button>
            {resumable(b) && b.state !== 'ready' && (
              <button
                type="button"
                className="button subtle"
                onClick={() => void useBulkIssuance.getState().close()}
                data-testid="bulk-close"
              >
                {t('issuance.bulk.closeBatch')}
              </button>
            )}
            {resumable(b) && (
              <button
                type="button"
                className="button primary"
                ref={signButton}
                disabled={!canRun}
                onClick={() => void useBulkIssuance.getState().run()}
                data-testid="bulk-sign"
              >
                {b.state === 'ready'
                  ? t('issuance.bulk.sign', { n: b.total })
                  : t('issuance.bulk.resume', { n: left(b) })}
                <kbd>Enter</kbd>
              </button>
            )}
          </>
        )}
      </div>
    </section>
  )
}

export function BulkNextStep() {
  const t = useT()
  const { step, detail } = useBulkIssuance()
  const state = detail?.batch.state
  const key: MessageKey =
    step === 'problems'
      ? 'issuance.bulk.next.problems'
      : step === 'batch' && state === 'running'
        ? 'issuance.bulk.next.running'
        : step === 'batch' && (state === 'done' || state === 'closed')
          ? 'issuance.bulk.next.done'
          : step === 'batch'
            ? 'issuance.bulk.next.sign'
            : 'issuance.bulk.next.pick'
  return (
    <footer className="next-action" data-testid="bulk-next">
      <span className="next-text">{t(key)}</span>
    </footer>
  )
}

/** The bulk mode's workspace; for a clerk, only why it is not theirs. */
export function BulkIssuance({ modeSwitch }: { modeSwitch: React.ReactNode }) {
  const t = useT()
  const role = useAuth((s) => s.state?.staff?.role)
  const { step, detail } = useBulkIssuance()
  const supervisor = role === 'supervisor'

  useEffect(() => {
    if (!supervisor) return
    // The licence types come with the single form's data; bulk mode may be opened first.
    void useIssuance.getState().load()
    void useBulkIssuance.getState().load()
    return useBulkIssuance.getState().follow()
  }, [supervisor])

  const hotkeys = useMemo(
    () => ({
      Escape: () => {
        const s = useBulkIssuance.getState()
        if (s.detail?.batch.state === 'running') void s.cancel()
        else s.back()
      },
    }),
    [],
  )
  useHotkeys(hotkeys)

  return (
    <>
      <main className="workspace issuance" data-testid="bulk-view">
        <aside className="left-column">
          {modeSwitch}
          {supervisor && <BatchList />}
        </aside>
        <div className="issuance-main">
          {!supervisor ? (
            <section className="panel" data-testid="bulk-supervisor-only">
              <p className="warning caution">{t('issuance.bulk.supervisorOnly')}</p>
            </section>
          ) : step === 'problems' ? (
            <Problems />
          ) : step === 'batch' && detail ? (
            <Batch detail={detail} />
          ) : (
            <PickList />
          )}
        </div>
      </main>
      {supervisor && <BulkNextStep />}
    </>
  )
}
