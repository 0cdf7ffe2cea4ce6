/**
 * `npm run bench:sync`, against the machine's MariaDB (127.0.0.1:3306, root; a database of its own,
 * dropped at the end):
 *
 * 1. Push 10,000 queued licences (GB/T 36903 metadata + a 60 KB document each, sealed in the
 *    SQLite outbox as the app keeps them) into HN_license_sync with the scheduler and the MySQL
 *    pusher, as `cli sync push` does. Targets: at least 300 records/s, peak RSS under 300 MB.
 *    Baseline in the same process: the same pusher one licence per statement (batch size 1).
 * 2. Compute 100,000 art. 14 deadlines (offline and bulk, completions across 2024–2027, some in
 *    a year without official data). Baseline: chinese-days' own `findWorkday` on the same inputs.
 *
 * Wall time is printed with CPU time: on a shared machine CPU time is the steadier figure. The
 * process exits non-zero when a target is missed or a result is wrong, so a script or CI sees it.
 */
import chineseDays from 'chinese-days'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openDatabase } from '../../src/main/db'
import { createSealer, OutboxStore } from '../../src/main/issuance'
import { silentLogger } from '../../src/main/log'
import {
  bundledTables,
  chineseDaysTables,
  createMysqlTarget,
  parseFrontendUrl,
  SyncScheduler,
  WorkingCalendar,
} from '../../src/main/sync'
import { createTestDatabase } from '../system/sync/mariadb'
import { enqueueMany, TEST_KEY } from '../unit/main/sync/helpers'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000)
const BASELINE_RECORDS = Math.min(1000, RECORDS)
const DEADLINES = 100_000
const TARGET_RPS = 300
const TARGET_RSS_MB = 300
const ROOT = resolve(import.meta.dirname, '../..')

const mb = (bytes: number) => bytes / 1048576

function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Samples RSS while `run` works; returns the peak. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  try {
    const value = await run()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { value, peak }
  } finally {
    clearInterval(timer)
  }
}

async function push(records: number, batchSize: number, label: string) {
  const db = await createTestDatabase('bench')
  const dir = mkdtempSync(join(tmpdir(), 'counterdesk-bench-'))
  const store = openDatabase({ file: join(dir, 'outbox.db') })
  try {
    const outbox = new OutboxStore(store, createSealer(TEST_KEY))
    const q0 = performance.now()
    enqueueMany(outbox, records)
    const queueMs = performance.now() - q0
    const scheduler = new SyncScheduler({
      outbox,
      target: createMysqlTarget({
        url: parseFrontendUrl(db.url),
        queryTimeoutMs: 60_000,
        logger: silentLogger,
      }),
      targetKind: 'frontend',
      batchSize,
      intervalMs: 60_000,
      backoff: { baseMs: 200, capMs: 2000 },
      logger: silentLogger,
    })
    const rssBefore = process.memoryUsage().rss
    const c0 = cpuMs()
    const t0 = performance.now()
    const { value: report, peak } = await withPeakRss(() => scheduler.runOnce({ everything: true }))
    const wall = performance.now() - t0
    const cpu = cpuMs() - c0
    await scheduler.stop()
    if (report.error) throw report.error
    // Distinct licences (identifier and version), not guids: row_guid is the key, so counting
    // distinct guids could never find an item stored twice.
    const [row] = await db.query<{ n: number; d: number; bytes: number }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT license_identifier, cd_version) AS d,
         SUM(LENGTH(file_content)) AS bytes FROM HN_license_sync`,
    )
    if (Number(row!.n) !== records || Number(row!.d) !== records)
      throw new Error(`${label}: ${row!.n} rows (${row!.d} licences), expected ${records}`)
    return {
      label,
      records,
      queueMs,
      wall,
      cpu,
      rps: records / (wall / 1000),
      peakRssMb: mb(peak),
      rssBeforeMb: mb(rssBefore),
      storedMb: mb(Number(row!.bytes)),
    }
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
    await db.drop()
  }
}

function deadlines() {
  const calendar = new WorkingCalendar([
    ...chineseDaysTables(),
    ...bundledTables(join(ROOT, 'resources')),
  ])
  // Completions spread over 2024-01-01 … 2027-12-31 (2027 has no official data yet).
  let seed = 20260104
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
  const start = Date.parse('2024-01-01T00:00:00+08:00')
  const span = Date.parse('2028-01-01T00:00:00+08:00') - start
  const inputs = Array.from({ length: DEADLINES }, () => ({
    at: start + Math.floor(random() * span),
    days: random() < 0.8 ? 1 : 5,
  }))

  const c0 = cpuMs()
  const t0 = performance.now()
  let provisional = 0
  let check = 0
  for (const i of inputs) {
    const d = calendar.deadline(i.at, i.days)
    if (d.provisional) provisional++
    check += d.day
  }
  const wall = performance.now() - t0
  const cpu = cpuMs() - c0

  // chinese-days counts from the day given; art. 14 counts from the day after completion.
  const b0 = performance.now()
  let mismatches = 0
  for (const i of inputs.slice(0, 10_000)) {
    const date = new Date(i.at + 8 * 3_600_000).toISOString().slice(0, 10)
    const theirs = chineseDays.findWorkday(i.days, date)
    const ours = calendar.deadline(i.at, i.days)
    if (!ours.provisional && `${theirs}T23:59:59+08:00` !== ours.at) mismatches++
  }
  const baselineMs = ((performance.now() - b0) / 10_000) * DEADLINES
  return { wall, cpu, provisional, check, baselineMs, mismatches }
}

async function main(): Promise<string[]> {
  const missed: string[] = []
  console.log(
    `sync bench: ${RECORDS} licences (60 KB documents) into MariaDB, ${DEADLINES} deadlines`,
  )
  const main = await push(RECORDS, 50, 'batches of 50')
  console.log(
    `push ${main.label}: ${main.records} in ${(main.wall / 1000).toFixed(1)} s wall (${(main.cpu / 1000).toFixed(1)} s CPU) → ` +
      `${main.rps.toFixed(0)} records/s [target ≥ ${TARGET_RPS}: ${main.rps >= TARGET_RPS ? 'met' : 'NOT met'}]`,
  )
  console.log(
    `  peak RSS ${main.peakRssMb.toFixed(0)} MB during the push (${main.rssBeforeMb.toFixed(0)} MB before) ` +
      `[target < ${TARGET_RSS_MB} MB: ${main.peakRssMb < TARGET_RSS_MB ? 'met' : 'NOT met'}]; ` +
      `${main.storedMb.toFixed(0)} MB of documents stored; queueing took ${(main.queueMs / 1000).toFixed(1)} s ` +
      `(${(main.records / (main.queueMs / 1000)).toFixed(0)} records/s sealed into SQLite)`,
  )
  if (main.rps < TARGET_RPS)
    missed.push(`push ${main.rps.toFixed(0)} records/s, target ≥ ${TARGET_RPS}`)
  if (main.peakRssMb >= TARGET_RSS_MB)
    missed.push(`peak RSS ${main.peakRssMb.toFixed(0)} MB, target < ${TARGET_RSS_MB} MB`)
  const base = await push(BASELINE_RECORDS, 1, 'one per statement')
  console.log(
    `baseline ${base.label}: ${base.records} in ${(base.wall / 1000).toFixed(1)} s → ${base.rps.toFixed(0)} records/s; ` +
      `batching is ${(main.rps / base.rps).toFixed(1)}× faster`,
  )

  const d = deadlines()
  console.log(
    `deadlines: ${DEADLINES} in ${d.wall.toFixed(0)} ms wall (${d.cpu.toFixed(0)} ms CPU), ` +
      `${((DEADLINES / d.wall) * 1000).toFixed(0)} per second; ${d.provisional} provisional (2027, or crossing into it)`,
  )
  console.log(
    `  baseline chinese-days findWorkday: ${d.baselineMs.toFixed(0)} ms for ${DEADLINES} (extrapolated from 10,000) → ` +
      `ours ${(d.baselineMs / d.wall).toFixed(1)}× faster; ${d.mismatches} disagreements on official-data days`,
  )
  if (d.mismatches > 0)
    missed.push(`${d.mismatches} deadlines disagree with chinese-days on official-data days`)
  return missed
}

const missed = await main()
if (missed.length > 0) {
  console.log(`sync bench: NOT met — ${missed.join('; ')}`)
  process.exitCode = 1
} else console.log('sync bench: all targets met')
