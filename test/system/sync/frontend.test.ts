/**
 * The front-end processor against the real MariaDB on this machine: `frontend init` builds the
 * HN_license tables, the pusher writes HN_license_sync idempotently on the row guid, rejections
 * are parked with the server's reason, the published catalogue is read back — and an outage, a
 * reset mid-statement or a slow server (through a proxy the test controls) each end in backoff
 * and recovery with every item stored exactly once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../src/shared/domain'
import {
  parseCatalogueEntries,
  TRAINING_LICENCE_TYPES,
  type OutboxStore,
} from '../../../src/main/issuance'
import { createLogger, silentLogger, type Logger } from '../../../src/main/log'
import {
  connectFrontend,
  createMysqlTarget,
  FRONTEND_SCHEMA_VERSION,
  initFrontend,
  parseFrontendUrl,
  publishCatalogue,
  SyncScheduler,
  type SyncTarget,
} from '../../../src/main/sync'
import {
  enqueueMany,
  FIXTURE_DOCUMENT,
  testEntry,
  openTestDb,
  testIdentifier,
  testOutbox,
  testRecord,
} from '../../unit/main/sync/helpers'
import { createTestDatabase, MARIADB_HOST, MARIADB_PORT, type TestDatabase } from './mariadb'
import { TcpProxy } from './tcp-proxy'

let db: TestDatabase
let outbox: OutboxStore

beforeEach(async () => {
  db = await createTestDatabase('fe')
  outbox = testOutbox(openTestDb())
})
afterEach(async () => {
  await db.drop()
})

function target(url = db.url, queryTimeoutMs = 10_000, logger: Logger = silentLogger): SyncTarget {
  return createMysqlTarget({ url: parseFrontendUrl(url), queryTimeoutMs, logger })
}

function scheduler(t: SyncTarget, statuses: SyncStatus[] = [], batchSize = 10) {
  return new SyncScheduler({
    outbox,
    target: t,
    targetKind: 'frontend',
    batchSize,
    intervalMs: 60_000,
    backoff: { baseMs: 50, capMs: 400 },
    logger: silentLogger,
    onStatus: (s) => statuses.push(s),
  })
}

async function stored(): Promise<{ n: number; distinct: number }> {
  const [r] = await db.query<{ n: number; distinct: number }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT row_guid) AS `distinct` FROM HN_license_sync',
  )
  return { n: Number(r!.n), distinct: Number(r!.distinct) }
}

describe('frontend init', () => {
  it('creates the three exchange tables with the exchange columns, and is safe to rerun', async () => {
    const tables = await db.query<{ t: string }>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY 1',
      [db.name],
    )
    expect(tables.map((r) => r.t).sort()).toEqual([
      'HN_catalog_release',
      'HN_catalog_sync',
      'HN_license_sync',
      'cd_schema_migrations',
    ])
    for (const table of ['HN_catalog_sync', 'HN_catalog_release', 'HN_license_sync']) {
      const cols = await db.query<{ c: string }>(
        'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = ?',
        [db.name, table],
      )
      const names = cols.map((r) => r.c)
      for (const c of ['row_guid', 'cd_batch', 'cd_operation', 'cd_time', 'cd_version'])
        expect(names, `${table}.${c}`).toContain(c)
    }
    const license = await db.query<{ c: string; comment: string }>(
      `SELECT column_name AS c, column_comment AS comment FROM information_schema.columns
       WHERE table_schema = ? AND table_name = 'HN_license_sync'`,
      [db.name],
    )
    const comments = license.map((r) => r.comment).join('|')
    for (const gbt of [
      '证照名称',
      '证照类型代码',
      '证照编号',
      '证照标识',
      '颁发机构',
      '颁发机构代码',
      '颁发日期',
      '持证主体',
      '持证主体代码',
      '持证主体代码类型',
      '有效期起始',
      '有效期截止',
      '签章人',
      '签章时间',
      '签章名称',
      '所属管辖属地编码',
    ])
      expect(comments).toContain(gbt)
    expect(await initFrontend(db.frontendUrl)).toMatchObject({
      created: false,
      applied: [],
      version: FRONTEND_SCHEMA_VERSION,
    })
  })

  it('refuses a schema newer than the program', async () => {
    await db.query("INSERT INTO cd_schema_migrations VALUES (99, 'future', NOW(3))")
    await expect(initFrontend(db.frontendUrl)).rejects.toMatchObject({
      code: 'FRONTEND_SCHEMA_TOO_NEW',
    })
    enqueueMany(outbox, 1)
    const report = await scheduler(target()).runOnce()
    expect(report.error?.code).toBe('FRONTEND_SCHEMA_TOO_NEW')
    expect(outbox.counts(Date.now()).parked).toBe(0)
  })
})

describe('pushing into HN_license_sync', () => {
  it('writes the GB/T 36903 fields and the OFD, once per row guid however often it is sent', async () => {
    enqueueMany(outbox, 25)
    outbox.db.transaction(() =>
      outbox.enqueue(
        testEntry(500, {
          mode: 'bulk',
          record: testRecord(testIdentifier(500), { validTo: '长期', issueMode: 'bulk' }),
          deadline: {
            at: '2026-03-09T23:59:59+08:00',
            ms: Date.parse('2026-03-09T23:59:59+08:00'),
            provisional: false,
          },
        }),
      ),
    )()
    const t = target()
    const { items } = outbox.claim('t:1:1', 100, Date.now(), 60_000, { everything: true })
    expect((await t.push(items, 'B-1')).every((o) => o.result === 'delivered')).toBe(true)
    // The same rows again (a lost acknowledgement): no error, no second copy.
    expect((await t.push(items, 'B-2')).every((o) => o.result === 'delivered')).toBe(true)
    await t.close()
    expect(await stored()).toEqual({ n: 26, distinct: 26 })

    const [row] = await db.query<Record<string, unknown>>(
      'SELECT * FROM HN_license_sync WHERE license_identifier = ?',
      [testIdentifier(1)],
    )
    expect(row).toMatchObject({
      row_guid: items.find((i) => i.identifier === testIdentifier(1))!.idempotencyKey,
      cd_batch: 'B-1',
      cd_operation: 'I',
      cd_version: 1,
      license_type_code: '51100000500010176E001',
      holder_name: '张建国',
      holder_code: '410105197805160032',
      holder_code_type: '111',
      issue_date: '2026-03-02',
      valid_to: '2036-03-01',
      valid_long_term: 0,
      region_code: '410100',
      license_status: '有效',
      completed_at: '2026-03-02 10:15:00.000',
      push_deadline: '2026-03-03 23:59:59',
      file_format: 'ofd',
      file_size: 61_440,
    })
    expect(Buffer.from(row!.file_content as Buffer).equals(FIXTURE_DOCUMENT)).toBe(true)
    expect(JSON.parse(row!.face_data as string)).toEqual({
      name: '张建国',
      category: '肢体残疾',
      level: '二级',
    })
    const [longTerm] = await db.query<Record<string, unknown>>(
      'SELECT valid_to, valid_long_term, issue_mode FROM HN_license_sync WHERE license_identifier = ?',
      [testIdentifier(500)],
    )
    expect(longTerm).toEqual({ valid_to: null, valid_long_term: 1, issue_mode: 'bulk' })
  })

  it('parks the rows the server refuses, with its reason, and stores the rest', async () => {
    enqueueMany(outbox, 6)
    outbox.db.transaction(() => {
      for (const [n, patch] of [
        [700, { regionCode: '41010X' }],
        [701, { holderCodeType: '1111' }],
      ] as const)
        outbox.enqueue(testEntry(n, { record: testRecord(testIdentifier(n), patch) }))
    })()
    const report = await scheduler(target()).runOnce()
    expect(report).toEqual({ sent: 6, parked: 2 })
    expect(await stored()).toEqual({ n: 6, distinct: 6 })
    const parked = outbox.rows({ state: 'parked' })
    expect(parked.map((p) => p.identifier).sort()).toEqual(
      [testIdentifier(700), testIdentifier(701)].sort(),
    )
    expect(parked.map((p) => p.lastError).join('\n')).toMatch(
      /ck_license_sync_region|Data too long.*holder_code_type/s,
    )
  })

  it('a wrong account stops the push without parking anything', async () => {
    enqueueMany(outbox, 2)
    const s = scheduler(target(`mysql://nobody:wrong@${MARIADB_HOST}:${MARIADB_PORT}/${db.name}`))
    expect((await s.runOnce()).error?.code).toBe('SYNC_REFUSED')
    expect(s.current().state).toBe('misconfigured')
    expect(outbox.counts(Date.now())).toMatchObject({ pending: 2, parked: 0 })
  })
})

describe('the published catalogue', () => {
  it('is read from HN_catalog_release, newest version per type, withdrawn types left out', async () => {
    const conn = await connectFrontend(db.frontendUrl)
    await publishCatalogue(conn, TRAINING_LICENCE_TYPES)
    const food = TRAINING_LICENCE_TYPES[2]!
    await publishCatalogue(conn, [
      { ...food, version: food.version + 1, name: '食品经营许可证（新版）' },
    ])
    const residence = TRAINING_LICENCE_TYPES[1]!
    await conn.query(
      `INSERT INTO HN_catalog_release (row_guid, cd_batch, cd_operation, cd_time, cd_version, catalog_code,
         catalog_name, define_dept, holder_types, face_items, validity_rule, numbering_rule, template_json,
         release_status, release_time)
       SELECT UUID(), 'W', 'U', NOW(3), cd_version + 1, catalog_code, catalog_name, define_dept, holder_types,
         face_items, validity_rule, numbering_rule, template_json, '已停用', NOW() FROM HN_catalog_release
       WHERE catalog_code = ?`,
      [residence.typeCode],
    )
    await conn.end()
    const t = target()
    const { templates, problems } = parseCatalogueEntries(await t.fetchCatalogue())
    await t.close()
    expect(problems).toEqual([])
    expect(templates.map((x) => [x.typeCode, x.name, x.version]).sort()).toEqual(
      [
        ['11100000000018569J006', '食品经营许可证（新版）', food.version + 1],
        ['51100000500010176E001', '中华人民共和国残疾人证', 3],
      ].sort(),
    )
    expect(templates.find((x) => x.typeCode === '51100000500010176E001')!.fields[3]).toMatchObject({
      key: 'idNumber',
      kind: 'citizen-id',
      prefill: 'holder.code',
    })
  })
})

describe('outages between the pusher and MariaDB (through a proxy)', () => {
  let proxy: TcpProxy
  beforeAll(async () => {
    proxy = new TcpProxy(MARIADB_HOST, MARIADB_PORT)
    await proxy.start()
  })
  afterAll(async () => {
    await proxy.stop()
  })
  beforeEach(async () => {
    await proxy.up()
    proxy.delayMs = 0
    proxy.slowAfterBytes = 0
    proxy.resetAfterBytes = undefined
    proxy.downAfterBytes = undefined
  })

  async function pushThrough(
    fault: (statuses: SyncStatus[]) => Promise<void>,
    queryTimeoutMs = 10_000,
    logger: Logger = silentLogger,
    items = 60,
    arm: () => void = () => {},
  ): Promise<SyncStatus[]> {
    enqueueMany(outbox, items)
    const statuses: SyncStatus[] = []
    const s = scheduler(target(db.via(proxy.url), queryTimeoutMs, logger), statuses, 5)
    arm()
    s.start()
    try {
      await expect
        .poll(async () => (await stored()).n, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(10)
      await fault(statuses)
      await expect
        .poll(() => outbox.counts(Date.now()).total, { timeout: 60_000, interval: 100 })
        .toBe(0)
    } finally {
      await s.stop()
    }
    expect(await stored()).toEqual({ n: items, distinct: items })
    return statuses
  }

  it('the server going away mid-push: backoff, then everything once when it is back', async () => {
    const statuses = await pushThrough(
      async (seen) => {
        await expect
          .poll(() => Math.max(0, ...seen.map((x) => x.consecutiveFailures)), { timeout: 20_000 })
          .toBeGreaterThanOrEqual(3)
        await proxy.up()
      },
      10_000,
      silentLogger,
      60,
      // Armed before the first push: the server dies after about three batches went up, in the
      // middle of the fourth, however fast the pusher is.
      () => (proxy.downAfterBytes = 1_000_000),
    )
    const errors = statuses.filter((x) => x.lastError).map((x) => x.lastError!.code)
    expect(errors).toContain('SYNC_OFFLINE')
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', consecutiveFailures: 0 })
  })

  it('connections reset in the middle of statements: retried, never doubled', async () => {
    let resets = 0
    let connectionsBefore = 0
    const statuses = await pushThrough(
      async (seen) => {
        // Armed before the first push, so the pusher cannot finish before the fault bites.
        await expect
          .poll(() => seen.some((x) => x.lastError?.code === 'SYNC_OFFLINE'), { timeout: 20_000 })
          .toBe(true)
        proxy.resetAfterBytes = undefined
        for (let i = 0; i < 3; i++) {
          proxy.resetAll()
          resets++
          await new Promise((r) => setTimeout(r, 150))
        }
      },
      10_000,
      silentLogger,
      60,
      // A batch of five is about 310 KB: each connection carries three, the fourth is cut.
      () => {
        connectionsBefore = proxy.connections
        proxy.resetAfterBytes = 1_000_000
      },
    )
    expect(resets).toBe(3)
    // Cut mid-statement at least once before the three resets: a new connection each time.
    expect(proxy.connections - connectionsBefore).toBeGreaterThan(1)
    expect(statuses.some((x) => x.lastError?.code === 'SYNC_OFFLINE')).toBe(true)
  })

  it('a slow server: the statement times out, the retry finds the rows already there', async () => {
    const lines: string[] = []
    const statuses = await pushThrough(
      async (seen) => {
        // Armed before the first push (below), so the pusher cannot finish before it bites.
        await expect
          .poll(() => seen.some((x) => x.lastError?.code === 'SYNC_TIMEOUT'), { timeout: 20_000 })
          .toBe(true)
        proxy.delayMs = 0
      },
      800,
      createLogger({ level: 'info', sink: (l) => lines.push(l) }),
      60,
      // Each connection answers its first three batches (about 930 KB) promptly, then slowly.
      () => {
        proxy.slowAfterBytes = 1_000_000
        proxy.delayMs = 3000
      },
    )
    const timeouts = statuses.filter((x) => x.lastError?.code === 'SYNC_TIMEOUT')
    expect(timeouts.length).toBeGreaterThan(0)
    // The timed-out statement had committed: its retry was a repeat, and stored nothing twice.
    expect(lines.some((l) => l.includes('repeat delivery'))).toBe(true)
  })
})
