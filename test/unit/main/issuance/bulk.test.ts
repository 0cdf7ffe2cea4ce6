/**
 * Bulk issuance in the core: a list with any wrong row issues (and stores, and reserves) nothing
 * and names every wrong cell; a clean list becomes a batch whose licences are signed one by one,
 * each written with its outbox item (mode bulk, five-working-day deadline, the batch number) in
 * one transaction. Whatever stops a batch — a cancel, a key pulled out, a failed write, the process
 * dying between licences — its rows say what was issued, and resuming never issues a row twice.
 *
 * As in service.test.ts the OFD writer is stood in for: `documents` returns fixture bytes and
 * records what it was asked, and can be told to stall or fail, which is what the crash needs.
 */
import { resolve } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { BulkBatchView, BulkProblem, SignerChoice } from '../../../../src/shared/domain'
import { CounterError } from '../../../../src/shared/errors'
import { completeUscc, parseLicenceId } from '../../../../src/shared/ids'
import type { Staff } from '../../../../src/main/auth'
import type { Db } from '../../../../src/main/db'
import {
  BulkIssuance,
  createSealer,
  createTemplateStore,
  IssuanceService,
  OutboxStore,
  TRAINING_LICENCE_TYPES,
  type ComposeInput,
  type IssuanceDocuments,
  type TemplateStore,
} from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import {
  bundledTables,
  chineseDaysTables,
  deadlinePolicy,
  WorkingCalendar,
} from '../../../../src/main/sync'
import { FIXTURE_DOCUMENT, openTestDb, TEST_KEY } from '../sync/helpers'
import {
  csv,
  encodeGb18030,
  FOOD,
  PEOPLE,
  RESIDENCE,
  RESIDENCE_HEADER,
  residenceRow,
  utf8,
} from './bulk-helpers'

const NOW = Date.parse('2026-04-03T16:30:00+08:00') // Friday before 清明 (4/4–4/6 off)
const FIFTH_WORKING_DAY = '2026-04-13T23:59:59+08:00'

class StubDocuments implements IssuanceDocuments {
  composed: ComposeInput[] = []
  signed: string[] = []
  /** Called before each signature: may throw (a key pulled out) or stall (the process dies). */
  beforeSign: (identifier: string) => Promise<void> | void = () => undefined
  async signers() {
    return [{ choice: { kind: 'training' } as SignerChoice, label: '培训印章', available: true }]
  }
  async compose(input: ComposeInput) {
    this.composed.push(input)
    return Buffer.concat([Buffer.from(input.identifier), FIXTURE_DOCUMENT])
  }
  async render() {
    return [{ widthMm: 210, heightMm: 148, image: 'data:image/png;base64,AAAA' }]
  }
  async sign(ofd: Uint8Array, _signer: SignerChoice, meta: { identifier: string }) {
    await this.beforeSign(meta.identifier)
    this.signed.push(meta.identifier)
    return {
      bytes: Buffer.concat([ofd, Buffer.from('-signed')]),
      signedAt: new Date(now).toISOString(),
      sealName: '培训演示政务服务中心电子印章',
      signerName: '培训签章人',
    }
  }
}

const supervisor: Staff = {
  name: '培训审核员',
  code: '410100198002020016',
  role: 'supervisor',
  certificate: {
    serialNumber: '20250009',
    issuer: '培训 CA',
    sha256: 'cd',
    notAfter: '2035-12-31',
  },
}

let now: number
let staff: Staff | null
let db: Db
let templates: TemplateStore
let outbox: OutboxStore
let documents: StubDocuments
let service: IssuanceService
let progress: BulkBatchView[]
let queued: number

function bulkFor(owner: string, docs: StubDocuments = documents): BulkIssuance {
  return new BulkIssuance({
    db,
    templates,
    sealer: createSealer(TEST_KEY),
    documents: docs,
    service: docs === documents ? service : serviceWith(docs),
    issuer: service_issuer,
    logger: silentLogger,
    staff: () => staff,
    onProgress: (v) => progress.push(v),
    queued: () => queued++,
    now: () => now,
    owner,
  })
}

const service_issuer = {
  name: '郑州市金水区政务服务中心',
  code: '11410105MB1613052U',
  region: '410105',
  terminalId: 'ZZ-JS-03',
}

function serviceWith(docs: IssuanceDocuments): IssuanceService {
  const calendar = new WorkingCalendar([
    ...chineseDaysTables(),
    ...bundledTables(resolve(import.meta.dirname, '../../../../resources')),
  ])
  return new IssuanceService({
    db,
    templates,
    outbox,
    sealer: createSealer(TEST_KEY),
    documents: docs,
    deadlines: deadlinePolicy(() => calendar),
    issuer: service_issuer,
    logger: silentLogger,
    applicant: () => ({ applicant: undefined, generation: 0 }),
    staff: () => staff,
    now: () => now,
  })
}

let bulk: BulkIssuance

beforeEach(() => {
  now = NOW
  staff = supervisor
  progress = []
  queued = 0
  db = openTestDb()
  templates = createTemplateStore(db, silentLogger)
  templates.replace(TRAINING_LICENCE_TYPES, 'test')
  outbox = new OutboxStore(db, createSealer(TEST_KEY))
  documents = new StubDocuments()
  service = serviceWith(documents)
  bulk = bulkFor('host:A')
})

const file = (bytes: Uint8Array, fileName = '居住证批量.csv') => ({ fileName, bytes })
const cleanList = (n: number) =>
  csv([RESIDENCE_HEADER, ...Array.from({ length: n }, (_, i) => residenceRow(i))])

async function importClean(n: number) {
  const result = await bulk.import(RESIDENCE, file(encodeGb18030(cleanList(n))))
  if (result.kind !== 'ready') throw new Error(JSON.stringify(result.check.problems))
  return result
}

const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
const serialState = () => db.prepare('SELECT * FROM issuance_serials').all()

async function runToEnd(b: BulkIssuance, batchNo: string) {
  b.run(batchNo, { kind: 'training' })
  await b.settle()
  return b.view(batchNo)
}

describe('checking a list: all or nothing', () => {
  it('names every wrong cell by row and column, and stores, reserves and issues nothing', async () => {
    const good = PEOPLE[1].id
    const badCheck = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1')
    const rows = [
      RESIDENCE_HEADER,
      residenceRow(0),
      residenceRow(1, { 持证主体代码: badCheck }),
      residenceRow(2, { 持证主体代码: '4.10105E+17' }),
      residenceRow(3, { 持证主体代码类型: '001' }),
      residenceRow(0, { 签发派出所: '金水区派出所', 联系电话: '1234' }),
      residenceRow(1, { 居住起始日期: '2025/13/1', 有效期截止: '2026-01-01' }),
      residenceRow(0),
      [...residenceRow(2), '多出来的'],
      residenceRow(3, { 居住地址: '郑州市\n金水区花园路' }),
    ]
    const before = serialState()
    const result = await bulk.import(RESIDENCE, file(utf8(csv(rows), true)))
    expect(result.kind).toBe('problems')
    const problems = result.check.problems
    const brief = problems.map((p: BulkProblem) => [p.row, p.columnLetter ?? '', p.code])
    expect(brief).toEqual([
      [3, 'C', 'holder-code'],
      [4, 'C', 'excel-number'],
      [5, 'B', 'holder-type-not-allowed'],
      [6, 'F', 'pattern'],
      [6, 'G', 'option'],
      [7, 'E', 'date'],
      [7, 'I', 'validity'],
      [8, '', 'duplicate-row'],
      [9, 'J', 'extra-cells'],
      [10, 'D', 'newline'],
    ])
    expect(problems[0]).toMatchObject({
      column: '持证主体代码',
      params: { reason: 'check-character', expected: expect.any(String) },
    })
    expect(problems.find((p) => p.code === 'duplicate-row')).toMatchObject({
      params: { first: 2 },
    })
    expect(problems.find((p) => p.code === 'validity')).toMatchObject({
      column: '有效期截止',
      params: { problem: 'to-before-from' },
    })
    expect(result.check).toMatchObject({ rows: 9, problemCount: 10, encoding: 'utf-8-bom' })
    // Nothing happened: no batch, no serial reserved, nothing composed, nothing queued.
    expect(count('SELECT COUNT(*) AS n FROM issuance_batches')).toBe(0)
    expect(serialState()).toEqual(before)
    expect(documents.composed).toEqual([])
    expect(outbox.counts(now).total).toBe(0)
  })

  it('checks the header first: missing, unknown and repeated columns', async () => {
    const header = ['持证主体', '持证主体代码类型', '居住地址', '居住地址', '备注', '联系电话']
    const result = await bulk.import(
      RESIDENCE,
      file(utf8(csv([header, ['李红梅', '111', 'x', 'y', 'z', '13800138000']]))),
    )
    expect(result.kind === 'problems' && result.check.problems).toEqual([
      {
        row: 1,
        column: '居住地址',
        columnLetter: 'D',
        code: 'duplicate-column',
        params: { first: 'C' },
      },
      { row: 1, column: '备注', columnLetter: 'E', code: 'unknown-column' },
      { row: 1, column: '持证主体代码', code: 'missing-column' },
      { row: 1, column: '居住起始日期', code: 'missing-column' },
      { row: 1, column: '签发派出所', code: 'missing-column' },
    ])
  })

  it('takes field keys and marked headings, Excel dates and a holder type Excel shortened', async () => {
    const uscc = completeUscc('9141010571234567')
    const header = [
      '*持证主体',
      '持证主体代码类型（必填）',
      'holderCode',
      'legalRepresentative',
      '经营场所',
      '主体业态',
      '经营项目',
      '经营面积（平方米）',
    ]
    const list = csv([
      header,
      [
        '郑州市花园路餐饮有限公司',
        '1',
        uscc.toLowerCase(),
        '周明',
        '郑州市金水区花园路38号',
        '餐饮服务经营者',
        '热食类食品制售\n冷食类食品制售',
        '120',
      ],
    ])
    const result = await bulk.import(FOOD, file(encodeGb18030(list)))
    expect(result.kind).toBe('ready')
    if (result.kind !== 'ready') return
    const [row] = result.detail.rows
    // The enterprise's code is public; the bound fields came from the holder columns.
    expect(row).toMatchObject({
      row: 2,
      holderName: '郑州市花园路餐饮有限公司',
      holderCodeMasked: uscc,
      holderTypeName: '统一社会信用代码',
      values: {
        operator: '郑州市花园路餐饮有限公司',
        uscc,
        scope: '热食类食品制售\n冷食类食品制售',
      },
      validFrom: '2026-04-03',
      validTo: '2031-04-02',
    })
  })

  it('refuses a clerk: bulk holders were never identified at the window', async () => {
    staff = { ...supervisor, role: 'clerk' }
    await expect(bulk.import(RESIDENCE, file(utf8(cleanList(2))))).rejects.toMatchObject({
      code: 'ISSUANCE_BULK_SUPERVISOR_ONLY',
    })
    staff = null
    await expect(bulk.import(RESIDENCE, file(utf8(cleanList(2))))).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    })
    expect(() => bulk.list()).toThrow(expect.objectContaining({ code: 'AUTH_REQUIRED' }))
  })

  it('fuzzed lists give rows or named problems, never anything else', async () => {
    let x = 99
    const r = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    const pieces = [
      '',
      '111',
      '1',
      '001',
      'X',
      '长期',
      '2026/2/30',
      '"',
      ',',
      '\n',
      '\u0007',
      '4.1E+17',
      PEOPLE[0].id,
      '男',
      '金水区花园路派出所',
    ]
    for (let i = 0; i < 300; i++) {
      const rows = [RESIDENCE_HEADER, residenceRow(i), residenceRow(i + 1)].map((row) =>
        row.map((c) => (r() < 0.2 ? pieces[Math.floor(r() * pieces.length)]! : c)),
      )
      if (r() < 0.1) rows[0]!.push(pieces[Math.floor(r() * pieces.length)]!)
      try {
        const c = bulk.check(RESIDENCE, file(utf8(csv(rows))))
        expect(c.rows.length + c.check.problemCount).toBeGreaterThan(0)
      } catch (error) {
        expect(error).toBeInstanceOf(CounterError)
        expect((error as CounterError).code).toMatch(/^ISSUANCE_BULK_/)
      }
    }
  })
})

describe('a clean list', () => {
  it('is stored sealed, with an identifier reserved per row and the next licence rendered', async () => {
    const { detail, check } = await importClean(3)
    expect(check).toMatchObject({ rows: 3, problemCount: 0, encoding: 'gb18030' })
    expect(detail.batch).toMatchObject({ state: 'ready', done: 0, total: 3, typeName: '居住证' })
    expect(detail.batch.batchNo).toMatch(/^B20260403-[0-9A-F]{8}$/)
    expect(detail.rows.map((r) => r.holderCodeMasked)).toEqual(
      PEOPLE.slice(0, 3).map((p) => p.id.slice(0, 6) + '********' + p.id.slice(-4)),
    )
    // Numbers masked everywhere the screen sees them, also in the face values.
    expect(JSON.stringify(detail)).not.toContain(PEOPLE[0].id)
    expect(detail.rows[0]!.values).toMatchObject({ name: '李红梅', sex: '女', since: '2025-09-01' })
    const ids = detail.rows.map((r) => r.identifier)
    expect(new Set(ids).size).toBe(3)
    for (const id of ids) expect(parseLicenceId(id)).toMatchObject({ valid: true })
    expect(detail.rows[0]!.number).toBe('JZ' + ids[0]!.split('.').at(-3))
    expect(detail.preview).toMatchObject({ row: 2, identifier: ids[0], issuedOn: '2026-04-03' })
    expect(documents.composed[0]).toMatchObject({
      identifier: ids[0],
      holder: { name: '李红梅', code: PEOPLE[0].id, identityType: '111' },
      values: { idNumber: PEOPLE[0].id, sex: '女' },
      validTo: '2027-04-02',
    })
    // At rest: the names and numbers are sealed.
    const raw = db.prepare('SELECT row_box, holder_masked FROM issuance_batch_rows').all() as {
      row_box: Buffer
      holder_masked: string
    }[]
    for (const r of raw) {
      expect(r.row_box.includes(Buffer.from('李红梅'))).toBe(false)
      expect(r.row_box.includes(Buffer.from(PEOPLE[0].id))).toBe(false)
      expect(r.holder_masked).toContain('********')
    }
    expect(outbox.counts(now).total).toBe(0)
  })
})

describe('signing a batch', () => {
  it('issues every row in bulk mode with the batch number and the fifth-working-day deadline', async () => {
    const { detail } = await importClean(3)
    const batchNo = detail.batch.batchNo
    const view = await runToEnd(bulk, batchNo)
    expect(view).toMatchObject({ state: 'done', done: 3, total: 3 })
    expect(documents.signed).toEqual(detail.rows.map((r) => r.identifier))
    const rows = outbox.rows()
    expect(rows.map((r) => [r.identifier, r.mode, r.deadline])).toEqual(
      detail.rows.map((r) => [r.identifier, 'bulk', FIFTH_WORKING_DAY]),
    )
    expect(db.prepare('SELECT DISTINCT batch_no FROM outbox').all()).toEqual([
      { batch_no: batchNo },
    ])
    expect(db.prepare('SELECT DISTINCT batch_no, mode FROM issued_licences').all()).toEqual([
      { batch_no: batchNo, mode: 'bulk' },
    ])
    // The exchange record carries the holder of the row, not anybody at the window.
    const [item] = outbox.claim('t:1:1', 1, now, 60_000).items
    expect(item!.record).toMatchObject({
      holderName: '李红梅',
      holderCode: PEOPLE[0].id,
      issueMode: 'bulk',
      faceData: { residence: '河南省郑州市金水区花园路10号院', station: '金水区花园路派出所' },
    })
    // Progress: each licence, done of total, up to the end.
    const mine = progress.filter((p) => p.batchNo === batchNo)
    expect(mine.map((p) => p.done)).toEqual(expect.arrayContaining([0, 1, 2, 3]))
    expect(mine.at(-1)).toMatchObject({ state: 'done', done: 3 })
    expect(queued).toBeGreaterThan(0)
    const detailAfter = await bulk.detail(batchNo)
    expect(detailAfter.rows.every((r) => r.state === 'issued' && r.issuedAt)).toBe(true)
    expect(detailAfter.preview).toBeUndefined()
    expect(() => bulk.run(batchNo, { kind: 'training' })).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_NOT_RESUMABLE' }),
    )
  })

  it('a fifth working day across the 劳动节 holiday and its adjusted Saturday', async () => {
    now = Date.parse('2026-04-30T10:00:00+08:00') // Thursday; 5/1–5/5 off, Saturday 5/9 worked
    const { detail } = await importClean(1)
    await runToEnd(bulk, detail.batch.batchNo)
    // 4/30 done → 5/6 (1), 5/7 (2), 5/8 (3), 5/9 Sat worked (4), 5/11 (5).
    expect(outbox.rows()[0]).toMatchObject({ deadline: '2026-05-11T23:59:59+08:00' })
  })

  it('cancels between licences, and resuming issues only the rest', async () => {
    const { detail } = await importClean(4)
    const batchNo = detail.batch.batchNo
    documents.beforeSign = (id) => {
      if (id === detail.rows[1]!.identifier) bulk.cancel(batchNo)
    }
    const stopped = await runToEnd(bulk, batchNo)
    // The licence in hand when cancelled is finished; the next is not started.
    expect(stopped).toMatchObject({ state: 'cancelled', done: 2, total: 4 })
    const record = await bulk.detail(batchNo)
    expect(record.rows.map((r) => r.state)).toEqual(['issued', 'issued', 'pending', 'pending'])
    expect(record.preview?.identifier).toBe(detail.rows[2]!.identifier)

    documents.beforeSign = () => undefined
    const done = await runToEnd(bulk, batchNo)
    expect(done).toMatchObject({ state: 'done', done: 4 })
    expect(documents.signed).toEqual(detail.rows.map((r) => r.identifier))
    expect(count('SELECT COUNT(*) AS n FROM issued_licences')).toBe(4)
    expect(outbox.counts(now).total).toBe(4)
  })

  it('a key pulled out stops the batch at its row; resuming with the key issues the rest once', async () => {
    const { detail } = await importClean(3)
    const batchNo = detail.batch.batchNo
    documents.beforeSign = (id) => {
      if (id === detail.rows[2]!.identifier) throw new CounterError('CAKEY_TOKEN_REMOVED')
    }
    const failed = await runToEnd(bulk, batchNo)
    expect(failed).toMatchObject({
      state: 'failed',
      done: 2,
      error: { code: 'CAKEY_TOKEN_REMOVED', row: 4 },
    })
    expect(failed.error!.message).not.toBe('')
    documents.beforeSign = () => undefined
    expect(await runToEnd(bulk, batchNo)).toMatchObject({ state: 'done', done: 3 })
    expect(count('SELECT COUNT(*) AS n FROM issued_licences')).toBe(3)
    expect(count('SELECT COUNT(DISTINCT identifier) AS n FROM outbox')).toBe(3)
  })

  it('a write that fails half-way undoes that licence entirely; resuming issues it once', async () => {
    const { detail } = await importClean(3)
    const batchNo = detail.batch.batchNo
    // Power lost in the middle of the third licence's transaction: its outbox item is refused.
    db.exec(`CREATE TEMP TRIGGER power_cut BEFORE INSERT ON outbox
             WHEN (SELECT COUNT(*) FROM outbox) >= 2 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`)
    const failed = await runToEnd(bulk, batchNo)
    expect(failed).toMatchObject({ state: 'failed', done: 2, error: { row: 4 } })
    expect(count('SELECT COUNT(*) AS n FROM issued_licences')).toBe(2)
    expect(count('SELECT COUNT(*) AS n FROM issued_documents')).toBe(2)
    db.exec('DROP TRIGGER power_cut')
    expect(await runToEnd(bulk, batchNo)).toMatchObject({ state: 'done', done: 3 })
    expect(count('SELECT COUNT(*) AS n FROM issued_licences')).toBe(3)
    expect(outbox.counts(now).total).toBe(3)
  })

  it('after a crash between licences another process resumes it: no row issued twice', async () => {
    const { detail } = await importClean(5)
    const batchNo = detail.batch.batchNo
    // Process A signs two licences, then dies while the third is on the key.
    let wake: () => void = () => undefined
    const stalled = new Promise<void>((r) => (wake = r))
    documents.beforeSign = (id) => (id === detail.rows[2]!.identifier ? stalled : undefined)
    bulk.run(batchNo, { kind: 'training' })
    await expect.poll(() => documents.composed.length).toBe(4) // the preview + three licences
    expect(bulk.view(batchNo)).toMatchObject({ state: 'running', done: 2 })

    // Process B, a minute later: A's heartbeat is fresh, so B may not take the batch.
    const docsB = new StubDocuments()
    const b = bulkFor('host:B', docsB)
    now += 60_000
    expect(b.view(batchNo).state).toBe('running')
    expect(() => b.run(batchNo, { kind: 'training' })).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_RUNNING' }),
    )
    // Three minutes on, A is plainly gone: the batch shows as interrupted and B resumes it.
    now += 2 * 60_000
    expect(b.view(batchNo)).toMatchObject({ state: 'interrupted', done: 2 })
    expect(await runToEnd(b, batchNo)).toMatchObject({ state: 'done', done: 5 })
    expect(docsB.signed).toEqual(detail.rows.slice(2).map((r) => r.identifier))

    // A was only frozen, not dead: it wakes with the third licence signed and finds it issued.
    wake()
    await bulk.settle()
    expect(count('SELECT COUNT(*) AS n FROM issued_licences')).toBe(5)
    expect(count('SELECT COUNT(DISTINCT identifier) AS n FROM outbox')).toBe(5)
    expect(count('SELECT COUNT(*) AS n FROM outbox')).toBe(5)
    expect(b.view(batchNo)).toMatchObject({ state: 'done', done: 5 })
  })

  it('one batch at a time; a closed batch is never resumed', async () => {
    const first = (await importClean(2)).detail.batch.batchNo
    const second = (await importClean(2)).detail.batch.batchNo
    let wake: (() => void) | undefined
    documents.beforeSign = () => new Promise<void>((r) => (wake = r))
    bulk.run(first, { kind: 'training' })
    await expect.poll(() => wake).toBeDefined()
    expect(() => bulk.run(second, { kind: 'training' })).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_RUNNING' }),
    )
    expect(() => bulk.close(first)).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_RUNNING' }),
    )
    bulk.cancel(first)
    documents.beforeSign = () => undefined
    wake!()
    await bulk.settle()
    expect(bulk.close(first)).toMatchObject({ state: 'closed', done: 1, total: 2 })
    expect(() => bulk.run(first, { kind: 'training' })).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_NOT_RESUMABLE' }),
    )
    expect(bulk.list().map((b) => [b.batchNo, b.state])).toEqual(
      expect.arrayContaining([
        [first, 'closed'],
        [second, 'ready'],
      ]),
    )
    expect(() => bulk.view('B20260403-00000000')).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_BULK_NOT_FOUND' }),
    )
  })
})
