/**
 * The calendar, outbox and sync commands as a field engineer types them: exact JSON shapes, the
 * app's data folder, clear errors with a non-zero exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli, type CommandContext } from '../../../../src/main/commands'
import { openDatabase } from '../../../../src/main/db'
import { createSealer, OutboxStore, resolveDataKey } from '../../../../src/main/issuance'
import { enqueueMany, testEntry, testOutbox } from './helpers'

const resourcesDir = resolve(import.meta.dirname, '../../../../resources')
let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sync-cli-'))
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

async function cli(...argv: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  let out = ''
  let err = ''
  const ctx: CommandContext = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    resourcesDir,
    interrupted: new Promise(() => undefined),
  }
  const code = await runCli(argv, ctx)
  return { code, json: out ? JSON.parse(out) : undefined, stderr: err }
}

describe('calendar', () => {
  it('deadline: {deadline, provisional}', async () => {
    expect(
      await cli(
        'calendar',
        'deadline',
        '--completed',
        '2026-04-03T16:30:00+08:00',
        '--working-days',
        '1',
      ),
    ).toMatchObject({
      code: 0,
      json: { deadline: '2026-04-07T23:59:59+08:00', provisional: false },
    })
    const bulk = await cli(
      'calendar',
      'deadline',
      '--completed',
      '2026-12-28T09:00:00+08:00',
      '--working-days',
      '5',
    )
    expect(bulk.json).toEqual({ deadline: '2027-01-04T23:59:59+08:00', provisional: true })
  })

  it('is-workday: {workday, provisional, name?}', async () => {
    expect((await cli('calendar', 'is-workday', '2026-10-10')).json).toEqual({
      workday: true,
      provisional: false,
      name: '国庆节',
    })
    expect((await cli('calendar', 'is-workday', '2026-03-03')).json).toEqual({
      workday: true,
      provisional: false,
    })
    expect((await cli('calendar', 'is-workday', '2027-02-06')).json).toEqual({
      workday: false,
      provisional: true,
    })
  })

  it('bad dates are refused with a clear error and exit 1', async () => {
    const r = await cli('calendar', 'deadline', '--completed', 'yesterday', '--working-days', '1')
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ error: { code: 'CALENDAR_BAD_ARGUMENT' } })
    expect((await cli('calendar', 'is-workday', '2026-02-30')).code).toBe(1)
  })

  it('import stores a notice in the app database, and the calendar uses it from then on', async () => {
    const file = join(dataDir, '2027.json')
    writeFileSync(
      file,
      JSON.stringify({
        year: 2027,
        notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', published: '2026-11-10' },
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
        workdays: [],
      }),
    )
    const imported = await cli('calendar', 'import', file, '--data-dir', dataDir)
    expect(imported).toMatchObject({
      code: 0,
      json: {
        imported: [{ year: 2027, source: 'imported', holidays: 3, published: '2026-11-10' }],
        revisedDeadlines: 0,
      },
    })
    expect((await cli('calendar', 'is-workday', '2027-01-01', '--data-dir', dataDir)).json).toEqual(
      {
        workday: false,
        provisional: false,
        name: '元旦',
      },
    )
    const bad = join(dataDir, 'bad.txt')
    writeFileSync(
      bad,
      '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周四）放假，共1天。',
    )
    const refused = await cli('calendar', 'import', bad, '--data-dir', dataDir)
    expect(refused.code).toBe(1)
    expect(refused.json).toMatchObject({ error: { code: 'CALENDAR_NOTICE_INVALID' } })
    expect(refused.stderr).toContain('第 2 行')
  })

  it('import recomputes the deadlines of items queued in the app database', async () => {
    // Queued on New Year's Eve 2026 while 2027 had no data: the weekday rule said 1 January.
    const db = openDatabase({ file: join(dataDir, 'training.db') })
    const outbox = testOutbox(db)
    const completed = Date.parse('2026-12-31T11:00:00+08:00')
    db.transaction(() =>
      outbox.enqueue(
        testEntry(1, {
          completedAtMs: completed,
          deadline: {
            at: '2027-01-01T23:59:59+08:00',
            ms: Date.parse('2027-01-01T23:59:59.999+08:00'),
            provisional: true,
          },
        }),
      ),
    )()
    db.close()
    const file = join(dataDir, '2027.json')
    writeFileSync(
      file,
      JSON.stringify({
        year: 2027,
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
        workdays: [],
      }),
    )
    const imported = await cli('calendar', 'import', file, '--data-dir', dataDir)
    expect(imported).toMatchObject({ code: 0, json: { revisedDeadlines: 1 } })
    const after = openDatabase({ file: join(dataDir, 'training.db') })
    try {
      expect(testOutbox(after).rows()).toMatchObject([
        { deadline: '2027-01-04T23:59:59+08:00', deadlineProvisional: false },
      ])
    } finally {
      after.close()
    }
  })
})

describe('outbox and sync', () => {
  it('outbox status on a terminal with nothing queued', async () => {
    expect((await cli('outbox', 'status', '--data-dir', dataDir)).json).toEqual({
      target: 'library',
      pending: 0,
      inFlight: 0,
      parked: 0,
      overdue: 0,
      dueSoon: 0,
      alertWorkingMinutes: 120,
    })
  })

  it('sync push --to http in training mode pushes to a sandbox library started for it', async () => {
    // Queued in the training database with the training data key, as the app would.
    const db = openDatabase({ file: join(dataDir, 'training.db') })
    const outbox = new OutboxStore(db, createSealer(resolveDataKey({ training: true, dataDir })))
    enqueueMany(outbox, 3)
    db.close()
    const r = await cli('sync', 'push', '--to', 'http', '--data-dir', dataDir)
    expect(r.stderr).toContain('沙箱证照库')
    expect(r).toMatchObject({
      code: 0,
      json: { target: 'library', sent: 3, parked: 0, remaining: 0, sandbox: true },
    })
    const after = openDatabase({ file: join(dataDir, 'training.db') })
    try {
      expect(after.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 })
      expect(after.prepare('SELECT target FROM sync_history').all()).toEqual([
        { target: 'library' },
        { target: 'library' },
        { target: 'library' },
      ])
    } finally {
      after.close()
    }
  })

  it('sync push without a target to push to says what to configure', async () => {
    const r = await cli('sync', 'push', '--to', 'mysql', '--data-dir', dataDir)
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ error: { code: 'SYNC_NOT_CONFIGURED' } })
    expect((await cli('sync', 'push', '--to', 'ftp', '--data-dir', dataDir)).code).toBe(64)
  })
})
