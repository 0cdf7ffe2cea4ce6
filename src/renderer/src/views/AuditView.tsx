import { useCallback, useEffect, useState } from 'react'
import {
  AuditActionSchema,
  type AuditAction,
  type AuditEntry,
  type AuditExport,
  type ChainCheck,
} from '../../../shared/domain'
import { shanghaiDate } from '../../../shared/time'
import { counter } from '../counter'
import { useT, type MessageKey } from '../i18n'
import { useApp } from '../stores/app'
import { useLicences } from '../stores/licences'

const ACTIONS: readonly AuditAction[] = AuditActionSchema.options

/** `ok`, `cache`, `refused:<code>`, `failed:<code>` in the clerk's words, the code kept. */
function resultText(t: ReturnType<typeof useT>, result: string): string {
  const [kind, code] = result.split(':', 2)
  if (kind === 'ok') return code ? `${t('audit.result.ok')}（${code}）` : t('audit.result.ok')
  if (kind === 'cache') return t('audit.result.cache')
  if (kind === 'refused') return `${t('audit.result.refused')}（${code}）`
  if (kind === 'failed') return `${t('audit.result.failed')}（${code}）`
  return result
}

function ChainBanner({ chain }: { chain: ChainCheck }) {
  const t = useT()
  if (chain.ok)
    return (
      <p className="warning ok" data-testid="audit-chain" data-ok="true">
        {t('audit.chainOk', { n: chain.checked })}
      </p>
    )
  const b = chain.broken!
  return (
    <p className="warning danger" role="alert" data-testid="audit-chain" data-ok="false">
      {t('audit.chainBroken', {
        seq: b.seq,
        at: new Date(b.at).toLocaleString('zh-CN', { hour12: false }),
        problem: t(`audit.problem.${b.problem}`),
      })}
    </p>
  )
}

/** Supervisors: the access log, its chain check, and exports for inspection. */
export function AuditView() {
  const t = useT()
  const caps = useLicences((s) => s.capabilities)
  const [from, setFrom] = useState(shanghaiDate())
  const [to, setTo] = useState(shanghaiDate())
  const [action, setAction] = useState<AuditAction | ''>('')
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const [chain, setChain] = useState<ChainCheck | null>(null)
  const [exported, setExported] = useState<AuditExport | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void useLicences.getState().loadCapabilities()
  }, [])

  const query = useCallback(() => ({ from, to, ...(action ? { action } : {}) }), [from, to, action])
  const search = useCallback(
    () =>
      counter()
        .audit.list({ ...query(), limit: 1000 })
        .then(setEntries, (error: unknown) => useApp.getState().showError(error)),
    [query],
  )

  // The first page of today's entries, once the role allows it; then on 查询.
  const allowed = !!caps?.audit
  useEffect(() => {
    if (!allowed) return
    counter()
      .audit.list({ from: shanghaiDate(), to: shanghaiDate(), limit: 1000 })
      .then(setEntries, (error: unknown) => useApp.getState().showError(error))
  }, [allowed])

  if (!caps?.audit)
    return (
      <main className="workspace single">
        <section className="panel" data-testid="audit-view" data-allowed="false">
          <h2>{t('audit.title')}</h2>
          <p className="warning caution">{t('audit.onlySupervisors')}</p>
        </section>
      </main>
    )

  const run = async (f: () => Promise<void>) => {
    setBusy(true)
    try {
      await f()
    } catch (error) {
      useApp.getState().showError(error)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="workspace single">
      <section className="panel audit" data-testid="audit-view" data-allowed="true">
        <h2>{t('audit.title')}</h2>
        <form
          className="audit-filter"
          onSubmit={(e) => {
            e.preventDefault()
            void search()
          }}
        >
          <label>
            {t('audit.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('audit.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            {t('audit.action')}
            <select value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
              <option value="">{t('audit.allActions')}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`audit.action.${a}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t('audit.search')}
          </button>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void run(async () => setChain(await counter().audit.verify()))}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </button>
          {(['csv', 'json'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const r = await counter().audit.export({ ...query(), format })
                  setExported(r)
                  setChain(r.chain)
                  await search()
                })
              }
              data-testid={`audit-export-${format}`}
            >
              {t(format === 'csv' ? 'audit.exportCsv' : 'audit.exportJson')}
            </button>
          ))}
        </form>
        {chain && <ChainBanner chain={chain} />}
        {exported && (
          <p className="muted" data-testid="audit-exported">
            {t('audit.exported', {
              n: exported.entries,
              path: exported.path,
              kb: Math.ceil(exported.bytes / 1024),
            })}
          </p>
        )}
        {entries && entries.length === 0 && <p className="muted">{t('audit.empty')}</p>}
        {entries && entries.length > 0 && (
          <div className="audit-table-wrap">
            <table className="licence-table audit-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{t('audit.col.seq')}</th>
                  <th>{t('audit.col.at')}</th>
                  <th>{t('audit.col.action')}</th>
                  <th>{t('audit.col.staff')}</th>
                  <th>{t('audit.col.holder')}</th>
                  <th>{t('audit.col.matter')}</th>
                  <th>{t('audit.col.serial')}</th>
                  <th>{t('audit.col.licences')}</th>
                  <th>{t('audit.col.result')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr
                    key={e.seq}
                    data-testid="audit-row"
                    data-action={e.action}
                    data-result={e.result}
                  >
                    <td className="number">{e.seq}</td>
                    <td className="number">
                      {new Date(e.at).toLocaleString('zh-CN', { hour12: false })}
                    </td>
                    <td>{t(`audit.action.${e.action}` as MessageKey)}</td>
                    <td>
                      {e.staffName}
                      <div className="muted small mono">{e.staffCert}</div>
                    </td>
                    <td className="mono">{e.holder}</td>
                    <td className="small">{e.matter}</td>
                    <td className="mono small">{e.businessSerial}</td>
                    <td className="small">{e.licences.length}</td>
                    <td
                      className={
                        e.result.startsWith('ok') || e.result === 'cache' ? '' : 'result-bad'
                      }
                    >
                      {resultText(t, e.result)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  )
}
