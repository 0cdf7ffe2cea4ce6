/**
 * Crash safety of the push, as a field office would suffer it: `cli sync push --to mysql` pushes
 * 2,000 queued licences (60 KB each) into the real MariaDB and is killed with SIGKILL at random
 * moments — in the middle of a statement, between MariaDB's commit and the outbox's, anywhere —
 * at least fifty times, restarted after each. At the end every licence is in HN_license_sync
 * exactly once and the outbox is empty.
 *
 * The test proves the kills hit where it matters: after each one it looks for rows MariaDB
 * already holds whose items are still in the outbox (the pusher died between the two commits),
 * and at the end it counts the repeat deliveries the pusher logged when it sent such rows again.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db'
import { createSealer, OutboxStore, resolveDataKey } from '../../../src/main/issuance'
import { enqueueMany, FIXTURE_DOCUMENT, testIdentifier } from '../../unit/main/sync/helpers'
import { createTestDatabase, type TestDatabase } from './mariadb'

const root = resolve(import.meta.dirname, '../../..')
// The CLI's `sync push` bundled once (as the app's main is), so that fifty restarts do not each
// transpile it; it lives under out/ so that its packages resolve from the project's node_modules.
const bundleDir = join(root, 'out', 'test-sync-push')
const cli = join(bundleDir, 'push.mjs')
const ITEMS = 2000
const MIN_KILLS = 50
/** Kills that must land between MariaDB's commit and the outbox's; the test goes on until they have. */
const MIN_BETWEEN_COMMITS = 5

let db: TestDatabase
let dataDir: string

beforeAll(async () => {
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      ssr: join(import.meta.dirname, 'push-entry.ts'),
      outDir: bundleDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { format: 'es', entryFileNames: 'push.mjs' } },
    },
  })
  db = await createTestDatabase('crash')
  dataDir = mkdtempSync(join(tmpdir(), 'counterdesk-crash-'))
}, 120_000)
afterAll(async () => {
  await db?.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

interface Run {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly killedAfterStart: boolean
}

/**
 * Where a run is killed: `afterStartMs` after it says it started (anywhere: connecting,
 * claiming, sending), or `afterRowsMs` after the first row it stores shows in MariaDB (in the
 * middle of pushing: between statements, mid-statement, between the two commits).
 */
type KillPoint = { readonly afterStartMs: number } | { readonly afterRowsMs: number }

const rowCount = async () =>
  Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM HN_license_sync'))[0]!.n)

/** One `sync push`, killed at `kill` unless it ends first. */
async function push(kill: KillPoint | undefined): Promise<Run> {
  const rowsBefore = await rowCount()
  return new Promise((resolveRun, reject) => {
    const args = ['sync', 'push', '--to', 'mysql', '--url', db.url, '--data-dir', dataDir]
    // Node runs the pusher itself (no wrapper process), so SIGKILL stops the pusher at once.
    const child = spawn(process.execPath, [cli, ...args, '--batch-size', '5'], {
      cwd: root,
      env: {
        ...process.env,
        COUNTERDESK_CONFIG: '',
        COUNTERDESK_RESOURCES: join(root, 'resources'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let started = false
    let killed = false
    const alive = () => child.exitCode === null && child.signalCode === null
    const killLater = (ms: number) =>
      setTimeout(() => {
        if (!alive()) return
        killed = true
        child.kill('SIGKILL')
      }, ms)
    const killAfterRows = async (ms: number) => {
      while (alive()) {
        if ((await rowCount()) > rowsBefore) return void killLater(ms)
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (started || !stderr.includes('开始推送')) return
      started = true
      if (!kill) return
      if ('afterStartMs' in kill) killLater(kill.afterStartMs)
      else killAfterRows(kill.afterRowsMs).catch(reject)
    })
    child.once('error', reject)
    child.once('close', (exitCode, signal) =>
      resolveRun({ exitCode, signal, stdout, stderr, killedAfterStart: killed }),
    )
  })
}

/** The idempotency keys still queued (the pusher is dead: nothing writes the file). */
function queuedKeys(): Set<string> {
  const store = openDatabase({ file: join(dataDir, 'training.db') })
  try {
    return new Set(
      (store.prepare('SELECT idempotency_key AS k FROM outbox').all() as { k: string }[]).map(
        (r) => r.k,
      ),
    )
  } finally {
    store.close()
  }
}

async function storedGuids(): Promise<string[]> {
  return (await db.query<{ g: string }>('SELECT row_guid AS g FROM HN_license_sync')).map(
    (r) => r.g,
  )
}

/** Rows the pusher found already stored when it sent them (again), from its log lines. */
function loggedRepeats(): number {
  const file = join(dataDir, 'logs', 'counterdesk.log')
  if (!existsSync(file)) return 0
  let n = 0
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('repeat delivery')) continue
    n += Number((JSON.parse(line) as { repeats?: number }).repeats ?? 0)
  }
  return n
}

it('kill -9 at 50+ random points while pushing 2,000 licences: each stored exactly once, outbox empty', async () => {
  // The queue, in the data folder the CLI will use (training mode: its own key file there).
  const store = openDatabase({ file: join(dataDir, 'training.db') })
  const key = resolveDataKey({ training: true, dataDir })
  const outbox = new OutboxStore(store, createSealer(key))
  enqueueMany(outbox, ITEMS)
  const keys = (
    store.prepare('SELECT idempotency_key AS k FROM outbox').all() as { k: string }[]
  ).map((r) => r.k)
  store.close()
  expect(new Set(keys).size).toBe(ITEMS)

  let kills = 0
  let runs = 0
  // Kills after which MariaDB held rows whose items were still queued: the pusher died between
  // the front-end's commit and the outbox's (or mid-statement, the server committing after it).
  let betweenCommits = 0
  const storedWhileQueued = new Set<string>()
  let finished: Run | undefined
  // A small deterministic generator, so a failing sequence of kill points can be replayed.
  let seed = 0x5eed
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
  while (!finished) {
    runs++
    const killing = kills < MIN_KILLS || betweenCommits < MIN_BETWEEN_COMMITS
    // Half the kills anywhere in the first 90 ms, half in the middle of pushing.
    const run = await push(
      !killing
        ? undefined
        : runs % 2 === 0
          ? { afterStartMs: Math.floor(random() * 90) }
          : { afterRowsMs: Math.floor(random() * 50) },
    )
    if (run.killedAfterStart) {
      expect(run.signal).toBe('SIGKILL')
      kills++
      const queued = queuedKeys()
      // Every kill must leave work behind, or it proved nothing about a push in progress.
      expect(queued.size, `kill ${kills} came after the outbox was empty`).toBeGreaterThan(0)
      const fresh = (await storedGuids()).filter((g) => queued.has(g) && !storedWhileQueued.has(g))
      if (fresh.length > 0) betweenCommits++
      for (const g of fresh) storedWhileQueued.add(g)
      continue
    }
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(runs).toBeLessThan(400)
    if (JSON.parse(run.stdout).remaining > 0) continue
    expect(
      killing,
      `outbox emptied after ${kills} kills, ${betweenCommits} between the commits`,
    ).toBe(false)
    finished = run
  }
  expect(kills).toBeGreaterThanOrEqual(MIN_KILLS)
  expect(JSON.parse(finished.stdout)).toMatchObject({
    target: 'frontend',
    remaining: 0,
    parkedTotal: 0,
  })
  const repeats = loggedRepeats()
  console.info(
    `crash test: ${runs} runs, ${kills} kills, ${betweenCommits} between the two commits ` +
      `(${storedWhileQueued.size} rows stored while still queued), ${repeats} repeat deliveries`,
  )
  // The kills did land mid-push, and the rows stored but still queued were sent again and
  // recognised as repeats (each was sent again before it could leave the outbox).
  expect(betweenCommits).toBeGreaterThanOrEqual(MIN_BETWEEN_COMMITS)
  expect(repeats).toBeGreaterThanOrEqual(storedWhileQueued.size)

  // Exactly the queued items' guids, none missing and none foreign; and one row per licence
  // identifier and version, which catches an item sent again under another guid (row_guid is the
  // primary key, so counting distinct guids could never fail).
  expect((await storedGuids()).sort()).toEqual([...keys].sort())
  const perLicence = await db.query<{ id: string; v: number; n: number }>(
    `SELECT license_identifier AS id, cd_version AS v, COUNT(*) AS n FROM HN_license_sync
     GROUP BY license_identifier, cd_version`,
  )
  expect(perLicence.filter((r) => Number(r.n) !== 1)).toEqual([])
  expect(perLicence.map((r) => `${r.id}#${r.v}`).sort()).toEqual(
    Array.from({ length: ITEMS }, (_, i) => `${testIdentifier(i + 1)}#1`).sort(),
  )
  const [files] = await db.query<{ ok: number }>(
    'SELECT SUM(LENGTH(file_content) = ? AND file_sm3 IS NOT NULL) AS ok FROM HN_license_sync',
    [FIXTURE_DOCUMENT.length],
  )
  expect(Number(files!.ok)).toBe(ITEMS)

  const after = openDatabase({ file: join(dataDir, 'training.db') })
  try {
    expect(after.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 })
    const history = (
      after.prepare('SELECT idempotency_key AS k FROM sync_history').all() as { k: string }[]
    ).map((r) => r.k)
    expect(history.sort()).toEqual([...keys].sort())
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    after.close()
  }
}, 600_000)
