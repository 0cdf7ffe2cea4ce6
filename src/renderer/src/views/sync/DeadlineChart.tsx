import type { DailySyncStats } from '../../../../shared/domain'
import { useT, type MessageKey } from '../../i18n'
import { HISTORY_DAYS, useSync } from '../../stores/sync'

const SERIES: readonly {
  key: keyof Omit<DailySyncStats, 'date' | 'completed'>
  label: MessageKey
}[] = [
  { key: 'sentOnTime', label: 'sync.chart.onTime' },
  { key: 'sentLate', label: 'sync.chart.late' },
  { key: 'waiting', label: 'sync.chart.waiting' },
  { key: 'overdue', label: 'sync.chart.overdue' },
]

/** On time among those whose deadline has been decided (sent, or unsent and past it). */
export function compliance(days: readonly DailySyncStats[]): number | undefined {
  let onTime = 0
  let decided = 0
  for (const d of days) {
    onTime += d.sentOnTime
    decided += d.sentOnTime + d.sentLate + d.overdue
  }
  return decided === 0 ? undefined : Math.round((onTime / decided) * 100)
}

/** Completions per day, stacked by how their push went, and the on-time rate. */
export function DeadlineChart() {
  const t = useT()
  const days = useSync((s) => s.history)
  const max = Math.max(1, ...days.map((d) => d.completed))
  const rate = compliance(days)
  const W = 420
  const H = 150
  const pad = { l: 26, r: 6, t: 18, b: 22 }
  const slot = (W - pad.l - pad.r) / Math.max(days.length, HISTORY_DAYS)
  const bar = Math.max(4, slot * 0.62)
  const y = (n: number) => ((H - pad.t - pad.b) * n) / max
  return (
    <section className="panel sync-chart" data-testid="sync-chart">
      <h2>
        {t('sync.chart.title')}
        {rate !== undefined && (
          <span className={rate < 100 ? 'rate low' : 'rate'} data-testid="sync-compliance">
            {t('sync.chart.compliance', { pct: rate })}
          </span>
        )}
      </h2>
      {days.every((d) => d.completed === 0) ? (
        <p className="muted">{t('sync.chart.none')}</p>
      ) : (
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={t('sync.chart.title')}
          className="chart"
        >
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line
                x1={pad.l}
                x2={W - pad.r}
                y1={H - pad.b - y(max * f)}
                y2={H - pad.b - y(max * f)}
                className="grid"
              />
              <text x={pad.l - 4} y={H - pad.b - y(max * f) + 3} className="axis" textAnchor="end">
                {Math.round(max * f)}
              </text>
            </g>
          ))}
          {days.map((d, i) => {
            const x = pad.l + i * slot + (slot - bar) / 2
            let base = H - pad.b
            return (
              <g
                key={d.date}
                data-testid="chart-day"
                data-date={d.date}
                data-completed={d.completed}
              >
                {SERIES.map((s) => {
                  const h = y(d[s.key])
                  base -= h
                  return h > 0 ? (
                    <rect
                      key={s.key}
                      x={x}
                      y={base}
                      width={bar}
                      height={h}
                      className={`series-${s.key}`}
                    >
                      <title>{`${d.date} ${t(s.label)} ${d[s.key]}`}</title>
                    </rect>
                  ) : null
                })}
                {(i % 2 === days.length % 2 || days.length <= 7) && (
                  <text x={x + bar / 2} y={H - 6} className="axis" textAnchor="middle">
                    {d.date.slice(5)}
                  </text>
                )}
              </g>
            )
          })}
        </svg>
      )}
      <ul className="legend">
        {SERIES.map((s) => (
          <li key={s.key}>
            <span className={`swatch series-${s.key}`} />
            {t(s.label)}
          </li>
        ))}
      </ul>
    </section>
  )
}
