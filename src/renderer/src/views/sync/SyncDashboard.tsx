import { useEffect, useMemo, useRef, useState } from 'react'
import type { OutboxItemView, SyncStatus } from '../../../../shared/domain'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT, type MessageKey } from '../../i18n'
import { useAuth } from '../../stores/auth'
import { useSync } from '../../stores/sync'
import { DeadlineChart } from './DeadlineChart'
import { dueSoonLimit, shanghaiTime as time, urgency } from './format'
import './sync.css'

type T = ReturnType<typeof useT>

/** Before the first summary arrives; the configured value replaces it. */
const DEFAULT_ALERT_MINUTES = 120

const shortDeadline = (at: string) => at.slice(5, 16).replace('T', ' ')

export function leftText(t: T, i: OutboxItemView): string {
  if (i.overdue) return t('sync.left.overdue', { n: Math.max(1, -i.workingDaysLeft) })
  if (i.workingDaysLeft > 0) return t('sync.left.days', { n: i.workingDaysLeft })
  if (i.workingMinutesLeft === 0) return t('sync.left.todayClosed')
  return t('sync.left.today', {
    h: Math.floor(i.workingMinutesLeft / 60),
    m: i.workingMinutesLeft % 60,
  })
}

/** The due-soon threshold the main process counts with (`sync.alertWorkingMinutes`). */
const useAlertMinutes = () =>
  useSync((s) => s.summary?.alertWorkingMinutes ?? DEFAULT_ALERT_MINUTES)

function StatusStrip({ status }: { status: SyncStatus }) {
  const t = useT()
  const busy = useSync((s) => s.busy)
  const run = status.run
  return (
    <section
      className={`panel sync-status state-${status.state}`}
      data-testid="sync-status"
      data-state={status.state}
    >
      <div className="sync-status-main">
        <span className="dot" aria-hidden="true" />
        <strong>{t(`sync.target.${status.target}` as MessageKey)}</strong>
        <span>{t(`sync.state.${status.state}` as MessageKey)}</span>
        {run && (
          <span className="sync-progress" data-testid="sync-progress">
            <progress max={Math.max(run.total, 1)} value={run.sent + run.parked} />
            {t('sync.progress', { sent: run.sent, total: run.total })}
          </span>
        )}
        <span className="muted small">
          {status.lastSuccessAt && t('sync.lastSuccess', { time: time(status.lastSuccessAt) })}
          {status.nextAttemptAt &&
            ` · ${t('sync.nextAttempt', { time: time(status.nextAttemptAt) })}`}
        </span>
        <button
          type="button"
          className="button primary small"
          disabled={busy || status.target === 'none'}
          onClick={() => void useSync.getState().pushNow()}
          data-testid="sync-push-now"
        >
          {t('sync.pushNow')} <kbd>F5</kbd>
        </button>
      </div>
      {status.lastError && status.state !== 'idle' && (
        <p className="warning danger" role="alert" data-testid="sync-error">
          {status.lastError.message} — {status.lastError.hint}
        </p>
      )}
    </section>
  )
}

function Tiles() {
  const t = useT()
  const s = useSync((x) => x.summary)
  if (!s) return null
  const limit = dueSoonLimit(s.alertWorkingMinutes)
  const tiles: [string, number, string][] = [
    [t('sync.tile.pending'), s.pending, 'pending'],
    [t('sync.tile.inFlight'), s.inFlight, 'in-flight'],
    [t('sync.tile.parked'), s.parked, s.parked > 0 ? 'parked alarm' : 'parked'],
    [t('sync.tile.overdue'), s.overdue, s.overdue > 0 ? 'overdue alarm' : 'overdue'],
    [
      t(limit.unit === 'hours' ? 'sync.tile.dueSoonHours' : 'sync.tile.dueSoonMinutes', {
        n: limit.n,
      }),
      s.dueSoon,
      s.dueSoon > 0 ? 'soon alarm' : 'soon',
    ],
  ]
  return (
    <div className="sync-tiles" data-testid="sync-tiles">
      {tiles.map(([label, n, cls]) => (
        <div key={cls} className={`sync-tile ${cls}`} data-testid={`tile-${cls.split(' ')[0]}`}>
          <span className="tile-n">{n}</span>
          <span className="tile-label">{label}</span>
        </div>
      ))}
    </div>
  )
}

/** Unsent items at or past their deadline, most urgent first (the desktop notifies them too). */
function Alerts() {
  const t = useT()
  const items = useSync((s) => s.items)
  const alertMinutes = useAlertMinutes()
  const urgent = useMemo(
    () => items.filter((i) => urgency(i, alertMinutes) !== 'ok').slice(0, 6),
    [items, alertMinutes],
  )
  if (urgent.length === 0) return null
  return (
    <section className="panel sync-alerts" role="alert" data-testid="sync-alerts">
      <h2>{t('sync.alert.title')}</h2>
      <ul>
        {urgent.map((a) => (
          <li key={a.id} className={a.overdue ? 'overdue' : 'soon'}>
            {a.overdue
              ? t('sync.alert.overdue', {
                  type: a.typeName,
                  deadline: shortDeadline(a.deadline.at),
                })
              : t('sync.alert.soon', {
                  type: a.typeName,
                  minutes: a.workingMinutesLeft,
                  deadline: shortDeadline(a.deadline.at),
                })}
            <span className="mono small">{a.identifier.split('.').at(-3)}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function ItemRow({ i, selectable }: { i: OutboxItemView; selectable: boolean }) {
  const t = useT()
  const selected = useSync((s) => s.selected.includes(i.id))
  const u = urgency(i, useAlertMinutes())
  const serial = i.identifier.split('.').at(-3) ?? i.identifier
  return (
    <>
      <tr
        className={`outbox-row urgency-${u}`}
        data-testid="outbox-row"
        data-urgency={u}
        data-state={i.state}
      >
        {selectable && (
          <td>
            <input
              type="checkbox"
              checked={selected}
              onChange={() => useSync.getState().toggle(i.id)}
              aria-label={serial}
              data-testid="outbox-select"
            />
          </td>
        )}
        <td className="type">
          {i.typeName}
          <div className="mono small muted">{serial}</div>
        </td>
        <td>{i.holderMasked}</td>
        <td>
          {i.kind === 'issue'
            ? t('sync.kind.issue')
            : t(`issuance.action.${i.action ?? 'renew'}` as MessageKey)}
        </td>
        <td className="small">{time(i.completedAt)}</td>
        <td className="deadline">
          {shortDeadline(i.deadline.at)}
          {i.deadline.provisional && (
            <span className="badge tone-caution provisional" data-testid="deadline-provisional">
              {t('sync.provisional')}
            </span>
          )}
        </td>
        <td className="left" data-testid="outbox-left">
          {leftText(t, i)}
        </td>
        <td>
          {i.waitingForEarlier && i.state === 'pending'
            ? t('sync.item.waiting')
            : t(`sync.item.${i.state}` as MessageKey)}
        </td>
        <td className="num">{i.attempts}</td>
      </tr>
      {i.lastError && (i.state === 'parked' || i.attempts > 0) && (
        <tr className={`outbox-error urgency-${u}`}>
          <td colSpan={selectable ? 9 : 8} data-testid="outbox-error">
            {i.lastError.message}
          </td>
        </tr>
      )}
    </>
  )
}

function ItemTable({ items, selectable }: { items: OutboxItemView[]; selectable: boolean }) {
  const t = useT()
  return (
    <table className="licence-table outbox-table">
      <thead>
        <tr>
          {selectable && <th />}
          <th>{t('sync.col.licence')}</th>
          <th>{t('sync.col.holder')}</th>
          <th>{t('sync.col.change')}</th>
          <th>{t('sync.col.completed')}</th>
          <th>{t('sync.col.deadline')}</th>
          <th>{t('sync.col.left')}</th>
          <th>{t('sync.col.state')}</th>
          <th>{t('sync.col.attempts')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <ItemRow key={i.id} i={i} selectable={selectable} />
        ))}
      </tbody>
    </table>
  )
}

function Parked() {
  const t = useT()
  const all = useSync((s) => s.items)
  const items = useMemo(() => all.filter((i) => i.state === 'parked'), [all])
  const selected = useSync((s) => s.selected.length)
  const [retried, setRetried] = useState<number | null>(null)
  if (items.length === 0) return null
  return (
    <section className="panel sync-parked" data-testid="sync-parked">
      <h2>
        {t('sync.parked.title')}
        <button
          type="button"
          className="button small"
          disabled={selected === 0}
          onClick={() => void useSync.getState().retrySelected().then(setRetried)}
          data-testid="outbox-retry"
        >
          {t('sync.parked.retry')}
        </button>
      </h2>
      <p className="muted small">{t('sync.parked.note')}</p>
      {retried !== null && <p className="warning ok">{t('sync.parked.retried', { n: retried })}</p>}
      <ItemTable items={items} selectable />
    </section>
  )
}

function CalendarPanel() {
  const t = useT()
  const calendar = useSync((s) => s.calendar)
  const role = useAuth((s) => s.state?.staff?.role)
  const file = useRef<HTMLInputElement>(null)
  const [imported, setImported] = useState<string | null>(null)
  if (!calendar) return null
  const years = calendar.years
  const today = calendar.today
  const newest = years.at(-1)
  return (
    <section className="panel sync-calendar" data-testid="sync-calendar">
      <h2>
        {t('sync.calendar.title')}
        {role === 'administrator' && (
          <>
            <button
              type="button"
              className="button small"
              onClick={() => file.current?.click()}
              data-testid="calendar-import"
            >
              {t('sync.calendar.import')}
            </button>
            <input
              ref={file}
              type="file"
              accept=".txt,.json,text/plain,application/json"
              hidden
              data-testid="calendar-file"
              onChange={async (e) => {
                const f = e.target.files?.[0]
                e.target.value = ''
                if (!f) return
                const result = await useSync.getState().importCalendar(f.name, await f.text())
                const y = result[0]
                if (y)
                  setImported(
                    t('sync.calendar.imported', {
                      year: y.year,
                      holidays: y.holidays,
                      workdays: y.adjustedWorkdays,
                    }),
                  )
              }}
            />
          </>
        )}
      </h2>
      <p>
        {t('sync.calendar.today', {
          date: today.date,
          kind: `${today.workday ? t('sync.calendar.workday') : t('sync.calendar.holiday')}${today.name ? `（${today.name}）` : ''}`,
        })}
      </p>
      {years.length > 0 && (
        <p className="muted small">
          {t('sync.calendar.years', { from: years[0]!.year, to: newest!.year })}
          {newest?.noticeTitle && ` · ${newest.noticeTitle}`}
          {newest && ` · ${t(`sync.calendar.source.${newest.source}` as MessageKey)}`}
        </p>
      )}
      {imported && (
        <p className="warning ok" data-testid="calendar-imported">
          {imported}
        </p>
      )}
      <p className="warning caution" data-testid="calendar-provisional">
        {t('sync.calendar.provisional', { year: calendar.firstProvisionalYear })}
      </p>
    </section>
  )
}

/** Supervisors: what waits to reach the library, how close each item is to its deadline. */
export function SyncDashboard() {
  const t = useT()
  const status = useSync((s) => s.status)
  const items = useSync((s) => s.items)
  const waiting = items.filter((i) => i.state !== 'parked')

  useEffect(() => {
    let off: (() => void) | undefined
    let live = true
    void useSync
      .getState()
      .init()
      .then((o) => (live ? (off = o) : o()))
    return () => {
      live = false
      off?.()
    }
  }, [])

  const hotkeys = useMemo(() => ({ F5: () => void useSync.getState().pushNow() }), [])
  useHotkeys(hotkeys)

  return (
    <main className="sync-dashboard" data-testid="sync-dashboard">
      <div className="sync-top">
        {status && <StatusStrip status={status} />}
        <Tiles />
      </div>
      <Alerts />
      <div className="sync-grid">
        <div className="sync-lists">
          <Parked />
          <section className="panel sync-deadlines" data-testid="sync-deadlines">
            <h2>
              {t('sync.deadlines.title')}
              <button
                type="button"
                className="button subtle small"
                onClick={() => void useSync.getState().refresh()}
              >
                {t('sync.refresh')}
              </button>
            </h2>
            {waiting.length === 0 ? (
              <p className="muted">{t('sync.deadlines.empty')}</p>
            ) : (
              <ItemTable items={waiting} selectable={false} />
            )}
          </section>
        </div>
        <aside className="sync-side">
          <DeadlineChart />
          <CalendarPanel />
        </aside>
      </div>
    </main>
  )
}
