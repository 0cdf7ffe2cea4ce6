import { useEffect, useMemo, useState } from 'react'
import type { ArchivePrint, BatchView } from '../../../../shared/domain'
import { shanghaiDate } from '../../../../shared/time'
import { OfdPageSvg } from '../../components/ofd/OfdPageSvg'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT } from '../../i18n'
import { useArchive, itemKey, type PrintChoice } from '../../stores/archive'
import { useAuth } from '../../stores/auth'
import { useMatters } from '../../stores/matters'
import './archive.css'

const dateTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false })
const date = (iso: string) => shanghaiDate(Date.parse(iso))

function Selection() {
  const t = useT()
  const matters = useMatters((s) => s.matters)
  const { filter, businesses, picked, searching, previewOf } = useArchive()
  const { setFilter, search, toggle, pickAll, showPreview } = useArchive.getState()
  const count = businesses?.reduce((n, b) => n + b.items.length, 0) ?? 0
  return (
    <section className="panel archive-select" data-testid="archive-select">
      <h2>{t('archive.select.title')}</h2>
      <form
        className="archive-filter"
        onSubmit={(e) => {
          e.preventDefault()
          void search()
        }}
      >
        <label>
          {t('archive.from')}
          <input
            type="date"
            value={filter.from}
            onChange={(e) => setFilter({ from: e.target.value })}
            data-testid="archive-from"
          />
        </label>
        <label>
          {t('archive.to')}
          <input
            type="date"
            value={filter.to}
            onChange={(e) => setFilter({ to: e.target.value })}
            data-testid="archive-to"
          />
        </label>
        <label>
          {t('archive.matter')}
          <select
            value={filter.matterCode}
            onChange={(e) => setFilter({ matterCode: e.target.value })}
            data-testid="archive-matter"
          >
            <option value="">{t('archive.anyMatter')}</option>
            {matters.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t('archive.serials')}
          <input
            type="text"
            value={filter.serials}
            placeholder="ZZJS-2026-004711，ZZJS-2026-004712"
            onChange={(e) => setFilter({ serials: e.target.value })}
            data-testid="archive-serials"
          />
        </label>
        <button
          type="submit"
          className="button primary"
          disabled={searching}
          data-testid="archive-search"
        >
          {t('archive.search')} <kbd>Enter</kbd>
        </button>
      </form>
      {businesses && businesses.length === 0 && <p className="muted">{t('archive.empty')}</p>}
      {businesses && businesses.length > 0 && (
        <>
          <div className="archive-summary">
            <span data-testid="archive-found">
              {t('archive.found', {
                businesses: businesses.length,
                licences: count,
                picked: picked.size,
              })}
            </span>
            <span className="toolbar-spacer" />
            <button type="button" className="button small" onClick={() => pickAll(true)}>
              {t('archive.selectAll')}
            </button>
            <button type="button" className="button small" onClick={() => pickAll(false)}>
              {t('archive.selectNone')}
            </button>
          </div>
          <table className="licence-table archive-table" data-testid="archive-businesses">
            <thead>
              <tr>
                <th />
                <th>{t('archive.col.licence')}</th>
                <th>{t('archive.col.archived')}</th>
              </tr>
            </thead>
            {businesses.map((b) => (
              <tbody
                key={b.businessSerial}
                data-testid="archive-business"
                data-serial={b.businessSerial}
              >
                <tr className="business-row">
                  <td colSpan={3}>
                    <span className="mono">{b.businessSerial}</span>
                    <span className="sep">·</span>
                    {b.matterName}
                    <span className="sep">·</span>
                    <span className="muted small">
                      {date(b.at)} · {b.holder}
                    </span>
                  </td>
                </tr>
                {b.items.map((i) => {
                  const key = itemKey(b.businessSerial, i.identifier)
                  const current =
                    previewOf?.serial === b.businessSerial && previewOf.identifier === i.identifier
                  return (
                    <tr
                      key={key}
                      className={current ? 'licence-row current' : 'licence-row'}
                      data-testid="archive-licence"
                      data-identifier={i.identifier}
                      onClick={() => void showPreview(b.businessSerial, i.identifier)}
                      tabIndex={0}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') void showPreview(b.businessSerial, i.identifier)
                        if (e.key === ' ') {
                          e.preventDefault()
                          toggle(b.businessSerial, i.identifier)
                        }
                      }}
                    >
                      <td>
                        <input
                          type="checkbox"
                          checked={picked.has(key)}
                          onChange={() => toggle(b.businessSerial, i.identifier)}
                          onClick={(e) => e.stopPropagation()}
                          aria-label={i.typeName}
                        />
                      </td>
                      <td>
                        <span className="type">{i.typeName}</span>{' '}
                        <span className="mono small">{i.number}</span>
                        {!i.localFile && (
                          <div className="muted small">{t('archive.fromLibrary')}</div>
                        )}
                      </td>
                      <td className="small">
                        {i.archiveNo ? (
                          <>
                            <span className="mono">{i.archiveNo}</span>
                            <div>
                              <span className="badge tone-caution">
                                {t('archive.printedTimes', { n: i.prints })}
                              </span>
                            </div>
                          </>
                        ) : (
                          <span className="muted">{t('archive.notArchived')}</span>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            ))}
          </table>
        </>
      )}
    </section>
  )
}

function Preview() {
  const t = useT()
  const { preview, previewing, previewOf, paper, orientation } = useArchive()
  const { setLayout } = useArchive.getState()
  const [width, setWidth] = useState(640)
  const [host, setHost] = useState<HTMLDivElement | null>(null)
  useEffect(() => {
    if (!host) return
    const observer = new ResizeObserver(() => setWidth(Math.max(320, host.clientWidth - 24)))
    observer.observe(host)
    return () => observer.disconnect()
  }, [host])
  return (
    <section className="panel archive-preview" data-testid="archive-preview">
      <h2>
        {t('archive.preview.title')}
        <span className="archive-layout">
          <label>
            {t('archive.paper')}
            <select
              value={paper}
              onChange={(e) => setLayout({ paper: e.target.value as 'A4' | 'A3' })}
              data-testid="archive-paper"
            >
              <option value="A4">A4</option>
              <option value="A3">A3</option>
            </select>
          </label>
          <label>
            {t('archive.orientation')}
            <select
              value={orientation}
              onChange={(e) =>
                setLayout({ orientation: e.target.value as 'auto' | 'portrait' | 'landscape' })
              }
            >
              {(['auto', 'portrait', 'landscape'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`archive.orientation.${o}`)}
                </option>
              ))}
            </select>
          </label>
        </span>
      </h2>
      {!previewOf && <p className="muted">{t('archive.preview.hint')}</p>}
      {previewing && (
        <div className="progress">
          {t('archive.preview.loading')}
          <span className="progress-bar" />
        </div>
      )}
      {preview && (
        <>
          <p
            className={preview.archiveNo ? 'warning caution' : 'muted small'}
            data-testid="archive-preview-number"
          >
            {preview.archiveNo
              ? t('archive.preview.existing', { no: preview.archiveNo, n: preview.prints + 1 })
              : t('archive.preview.numberLater')}
          </p>
          <div className="archive-pages" ref={setHost}>
            {preview.pages.map((page) => (
              <figure key={page.index} className="archive-page" data-testid="archive-preview-page">
                <OfdPageSvg
                  page={page}
                  scale={width / page.width}
                  title={t('archive.preview.page', { x: page.index + 1, y: preview.pages.length })}
                />
              </figure>
            ))}
          </div>
        </>
      )}
    </section>
  )
}

function BatchPanel({ batch }: { batch: BatchView }) {
  const t = useT()
  const { cancel, printFile } = useArchive.getState()
  const finished = batch.done + batch.failed
  const pct = batch.total ? Math.round((finished * 100) / batch.total) : 100
  return (
    <div className="archive-batch" data-testid="archive-batch" data-state={batch.state}>
      <div className="archive-batch-head">
        <strong>{t('archive.batch.title')}</strong>
        <span className="mono small">{batch.id}</span>
        <span
          className={`badge ${batch.state === 'done' ? 'tone-ok' : batch.state === 'running' ? '' : 'tone-caution'}`}
        >
          {t(`archive.batch.state.${batch.state}`)}
        </span>
        <span className="toolbar-spacer" />
        {batch.state === 'running' && (
          <button
            type="button"
            className="button"
            onClick={() => void cancel()}
            data-testid="archive-cancel"
          >
            {t('archive.batch.cancel')}
          </button>
        )}
      </div>
      <div
        className="archive-meter"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={batch.total}
        aria-valuenow={finished}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="small" data-testid="archive-batch-progress">
        {t('archive.batch.progress', { done: batch.done, total: batch.total })}
        {batch.failed > 0 && (
          <span className="result-bad"> · {t('archive.batch.failed', { n: batch.failed })}</span>
        )}
        {batch.current && (
          <span className="muted"> · {t('archive.batch.current', { what: batch.current })}</span>
        )}
      </div>
      {batch.files.length > 0 && (
        <ul className="archive-files" data-testid="archive-files">
          {batch.files.map((f) => (
            <li key={f.path} data-testid="archive-file">
              <span className="mono small">
                {t('archive.batch.file', {
                  path: f.path,
                  copies: f.copies,
                  pages: f.pages,
                  kb: Math.ceil(f.bytes / 1024),
                })}
              </span>
              {f.printed?.startsWith('printed:') && (
                <span className="badge tone-ok">{t('archive.batch.printed')}</span>
              )}
              {f.printed?.startsWith('print-failed:') && (
                <span className="badge tone-danger">{t('archive.batch.printFailed')}</span>
              )}
              <PrintFileButton path={f.path} onPrint={printFile} />
            </li>
          ))}
        </ul>
      )}
      {batch.errors.length > 0 && (
        <div className="archive-errors" data-testid="archive-errors">
          <strong className="small">{t('archive.batch.errors')}</strong>
          <ul>
            {batch.errors.map((e) => (
              <li key={`${e.businessSerial}-${e.identifier}`} className="small">
                <span className="mono">{e.businessSerial || '—'}</span> ·{' '}
                <span className="mono">{e.identifier}</span>：{e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}

function PrintFileButton({
  path,
  onPrint,
}: {
  path: string
  onPrint: (p: string) => Promise<void>
}) {
  const t = useT()
  const available = useArchive((s) => s.printers?.available)
  if (!available) return null
  return (
    <button type="button" className="button small" onClick={() => void onPrint(path)}>
      {t('archive.batch.printFile')}
    </button>
  )
}

function Actions() {
  const t = useT()
  const { picked, output, printChoice, printer, printers, batch, batches } = useArchive()
  const { setOutput, setPrint, start, resume } = useArchive.getState()
  const running = batch?.state === 'running'
  const interrupted = batches.find((b) => b.state === 'interrupted')
  return (
    <section className="panel archive-actions" data-testid="archive-actions">
      {interrupted && !running && (
        <p className="warning caution" role="alert" data-testid="archive-interrupted">
          {t('archive.batch.interrupted', {
            id: interrupted.id,
            at: dateTime(interrupted.createdAt),
            done: interrupted.done,
            total: interrupted.total,
          })}{' '}
          <button
            type="button"
            className="button small"
            onClick={() => void resume(interrupted.id)}
            data-testid="archive-resume"
          >
            {t('archive.batch.resume')}
          </button>
        </p>
      )}
      <div className="archive-options">
        <fieldset>
          <legend>{t('archive.output')}</legend>
          {(['per-business', 'combined'] as const).map((o) => (
            <label key={o}>
              <input
                type="radio"
                name="archive-output"
                checked={output === o}
                onChange={() => setOutput(o)}
                data-testid={`archive-output-${o}`}
              />
              {t(`archive.output.${o}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('archive.print')}</legend>
          {(['none', 'dialog', 'silent'] as PrintChoice[]).map((c) => (
            <label key={c}>
              <input
                type="radio"
                name="archive-print"
                checked={printChoice === c}
                disabled={c !== 'none' && !printers?.available}
                onChange={() => setPrint(c)}
                data-testid={`archive-print-${c}`}
              />
              {t(`archive.print.${c}`)}
              {c === 'silent' && printers?.available && (
                <select
                  value={printer}
                  onChange={(e) => setPrint('silent', e.target.value)}
                  disabled={printChoice !== 'silent'}
                >
                  {printers.printers.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.displayName}
                    </option>
                  ))}
                </select>
              )}
            </label>
          ))}
          {printers && !printers.available && (
            <div className="muted small">{t('archive.print.unavailable')}</div>
          )}
        </fieldset>
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button primary"
          disabled={running || picked.size === 0}
          onClick={() => void start()}
          data-testid="archive-start"
        >
          {t('archive.start', { n: picked.size })} <kbd>Ctrl+P</kbd>
        </button>
      </div>
      {batch && <BatchPanel batch={batch} />}
    </section>
  )
}

function Register() {
  const t = useT()
  const register = useArchive((s) => s.register)
  const [from, setFrom] = useState(() => shanghaiDate(Date.now() - 30 * 86_400_000))
  const [to, setTo] = useState(() => shanghaiDate())
  useEffect(() => {
    void useArchive.getState().loadRegister(from, to)
  }, [from, to])
  const printState = (p: ArchivePrint) =>
    p.state === 'pending'
      ? t('archive.register.pending')
      : p.state === 'cancelled'
        ? t('archive.register.cancelled')
        : p.reprint
          ? t('archive.register.reprint', { n: p.printNo })
          : t('archive.register.first')
  return (
    <section className="panel archive-register" data-testid="archive-register">
      <h2>
        {t('archive.register.title')}
        <span className="archive-layout">
          <label>
            {t('archive.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('archive.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </span>
      </h2>
      {register && register.length === 0 && <p className="muted">{t('archive.register.empty')}</p>}
      {register && register.length > 0 && (
        <table className="licence-table" data-testid="archive-register-table">
          <thead>
            <tr>
              <th>{t('archive.register.col.no')}</th>
              <th>{t('archive.register.col.at')}</th>
              <th>{t('archive.register.col.by')}</th>
              <th>{t('archive.register.col.business')}</th>
              <th>{t('archive.register.col.licence')}</th>
              <th>{t('archive.register.col.check')}</th>
              <th>{t('archive.register.col.output')}</th>
            </tr>
          </thead>
          <tbody>
            {register.map((p) => (
              <tr
                key={p.id}
                data-testid="archive-register-row"
                data-reprint={p.reprint}
                data-state={p.state}
              >
                <td className="mono">
                  {p.archiveNo}
                  <div>
                    <span
                      className={`badge ${p.reprint ? 'tone-caution' : p.state === 'done' ? 'tone-ok' : ''}`}
                    >
                      {printState(p)}
                    </span>
                  </div>
                </td>
                <td className="number small">{dateTime(p.printedAt)}</td>
                <td className="small">
                  {p.staffName}
                  <div className="muted mono">{p.staffCode}</div>
                </td>
                <td className="small">
                  <span className="mono">{p.businessSerial || '—'}</span>
                  <div className="muted">{p.matterName}</div>
                </td>
                <td className="small">{p.licence}</td>
                <td className={p.seal === 'valid' ? 'small' : 'small result-bad'}>
                  {p.verification}
                </td>
                <td className="mono small">
                  {p.output}
                  {p.printer && <div className="muted">{p.printer}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Supervisors: paper archive copies of licences used in businesses (rules art. 23). */
export function ArchiveView() {
  const t = useT()
  const role = useAuth((s) => s.state?.staff?.role)
  const [tab, setTab] = useState<'batch' | 'register'>('batch')
  const allowed = role === 'supervisor'

  useEffect(() => {
    if (!allowed) return
    let off: (() => void) | undefined
    let live = true
    void useArchive
      .getState()
      .init()
      .then((o) => (live ? (off = o) : o()))
    return () => {
      live = false
      off?.()
    }
  }, [allowed])

  const hotkeys = useMemo(
    () => ({
      p: (e: KeyboardEvent) => {
        if (e.ctrlKey) void useArchive.getState().start()
      },
    }),
    [],
  )
  useHotkeys(allowed ? hotkeys : {})

  if (!allowed)
    return (
      <main className="workspace single">
        <section className="panel" data-testid="archive-view" data-allowed="false">
          <h2>{t('archive.title')}</h2>
          <p className="warning caution">{t('archive.onlySupervisors')}</p>
        </section>
      </main>
    )

  return (
    <main className="workspace archive" data-testid="archive-view" data-allowed="true">
      <nav className="archive-tabs" aria-label={t('archive.title')}>
        {(['batch', 'register'] as const).map((id) => (
          <button
            key={id}
            type="button"
            className={tab === id ? 'nav-tab current' : 'nav-tab'}
            onClick={() => setTab(id)}
            data-testid={`archive-tab-${id}`}
          >
            {t(`archive.tab.${id}`)}
          </button>
        ))}
      </nav>
      {tab === 'batch' ? (
        <>
          <div className="archive-left">
            <Selection />
            <Actions />
          </div>
          <Preview />
        </>
      ) : (
        <Register />
      )}
    </main>
  )
}
