/**
 * Crash safety of the push, as a field office would suffer it: `cli sync push --to mysql` pushes
 * 2,000 queued licences (60 KB each) into the real MariaDB and is killed with SIGKILL at random
 * moments — in the middle of a statement, between MariaDB's commit and the outbox's, anywhere —
 * at least fifty times, restarted after each. At the end every licence is in HN_license_sync
 * exactly once and the outbox is empty.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db'
import { createSealer, OutboxStore, resolveDataKey } from '../../../src/main/issuance'
import { enqueueMany, FIXTURE_DOCUMENT } from '../../unit/main/sync/helpers'
import { createTestDatabase, type TestDatabase } from './mariadb'

const root = resolve(import.meta.dirname, '../../..')
// The CLI's `sync push` bundled once (as the app's main is), so that fifty restarts do not each
// transpile it; it lives under out/ so that its packages resolve from the project's node_modules.
const bundleDir = join(root, 'out', 'test-sync-push')
const cli = join(bundleDir, 'push.mjs')
const ITEMS = 2000
const MIN_KILLS = 50

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

/** One `sync push`; killed `killAfterMs` after it says it started, unless it ends first. */
function push(killAfterMs: number | undefined): Promise<Run> {
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
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (started || !stderr.includes('开始推送')) return
      started = true
      if (killAfterMs !== undefined)
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            killed = true
            child.kill('SIGKILL')
          }
        }, killAfterMs)
    })
    child.once('error', reject)
    child.once('close', (exitCode, signal) =>
      resolveRun({ exitCode, signal, stdout, stderr, killedAfterStart: killed }),
    )
  })
}

it('kill -9 at 50+ random points while pushing 2,000 licences: each stored exactly once, outbox empty', async () => {
  // The queue, in the data folder the CLI will use (training mode: its own key file there).
  const store = openDatabase({ file: join(dataDir, 'training.db') })
  const key = resolveDataKey({ training: true, dataDir })
  const outbox = new OutboxStore(store, createSealer(key))
  enqueueMany(outbox, ITEMS)
  const keys = new Set(
    (store.prepare('SELECT idempotency_key AS k FROM outbox').all() as { k: string }[]).map(
      (r) => r.k,
    ),
  )
  store.close()
  expect(keys.size).toBe(ITEMS)

  let kills = 0
  let runs = 0
  let finished: Run | undefined
  // A small deterministic generator, so a failing sequence of kill points can be replayed.
  let seed = 0x5eed
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
  while (!finished) {
    runs++
    const run = await push(kills < MIN_KILLS ? Math.floor(random() * 90) : undefined)
    if (run.killedAfterStart) {
      expect(run.signal).toBe('SIGKILL')
      kills++
      continue
    }
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    finished = run
    if (JSON.parse(run.stdout).remaining > 0 || kills < MIN_KILLS) finished = undefined
    expect(runs).toBeLessThan(400)
  }
  expect(kills).toBeGreaterThanOrEqual(MIN_KILLS)
  expect(JSON.parse(finished.stdout)).toMatchObject({
    target: 'frontend',
    remaining: 0,
    parkedTotal: 0,
  })

  const [count] = await db.query<{ n: number; d: number }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT row_guid) AS d FROM HN_license_sync',
  )
  expect({ n: Number(count!.n), d: Number(count!.d) }).toEqual({ n: ITEMS, d: ITEMS })
  const guids = await db.query<{ g: string }>('SELECT row_guid AS g FROM HN_license_sync')
  expect(new Set(guids.map((r) => r.g))).toEqual(keys)
  const [files] = await db.query<{ ok: number }>(
    'SELECT SUM(LENGTH(file_content) = ? AND file_sm3 IS NOT NULL) AS ok FROM HN_license_sync',
    [FIXTURE_DOCUMENT.length],
  )
  expect(Number(files!.ok)).toBe(ITEMS)

  const after = openDatabase({ file: join(dataDir, 'training.db') })
  try {
    expect(after.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 })
    expect(after.prepare('SELECT COUNT(*) AS n FROM sync_history').get()).toEqual({ n: ITEMS })
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    after.close()
  }
}, 300_000)
