/**
 * Shared by the outbox, pusher, scheduler and system tests and the benchmark: a database with
 * the real migrations, a sealer, and queued items carrying realistic metadata and a 60 KB
 * document (fixture bytes, not an OFD — the pushers treat documents as opaque).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, type Db } from '../../../../src/main/db'
import {
  createSealer,
  OutboxStore,
  terminalTag,
  type ExchangeRecord,
  type OutboxEntry,
} from '../../../../src/main/issuance'
import { sm3 } from '../../../../src/main/crypto'
import { makeLicenceId } from '../../../../src/shared/ids'

export const FIXTURE_DOCUMENT = readFileSync(
  join(import.meta.dirname, 'fixtures', 'payload-60k.bin'),
)
export const TEST_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff)
export const UNIT_CODE = '11410100MB00000005'
export const TYPE_CODE = '51100000500010176E001'
export const HOLDER_CODE = '410105197805160032'

export function openTestDb(file = ':memory:'): Db {
  return openDatabase({ file })
}

export function testOutbox(db: Db, key: Uint8Array = TEST_KEY): OutboxStore {
  return new OutboxStore(db, createSealer(key))
}

export function testIdentifier(i: number, terminal = 'TEST-01'): string {
  return makeLicenceId({
    typeCode: TYPE_CODE,
    issuerCode: UNIT_CODE,
    serial: terminalTag(terminal) + String(i).padStart(12, '0'),
    version: '001',
  })
}

export function testRecord(
  identifier: string,
  patch: Partial<ExchangeRecord> = {},
): ExchangeRecord {
  return {
    kind: 'issue',
    licenseName: '中华人民共和国残疾人证',
    licenseTypeCode: TYPE_CODE,
    licenseTypeName: '中华人民共和国残疾人证',
    licenseNumber: 'CJ' + identifier.split('.').at(-3),
    licenseIdentifier: identifier,
    issuerName: '培训演示政务服务中心',
    issuerCode: UNIT_CODE,
    issueDate: '2026-03-02',
    holderName: '张建国',
    holderCode: HOLDER_CODE,
    holderCodeType: '111',
    holderCodeTypeName: '公民身份号码',
    validFrom: '2026-03-02',
    validTo: '2036-03-01',
    signerName: '培训签章人',
    signTime: '2026-03-02T02:15:00.000Z',
    sealName: '培训演示政务服务中心电子印章',
    regionCode: '410100',
    status: '有效',
    faceData: { name: '张建国', category: '肢体残疾', level: '二级' },
    issueMode: 'offline',
    completedAt: '2026-03-02T02:15:00.000Z',
    terminalId: 'TEST-01',
    ...patch,
  }
}

export function testEntry(i: number, patch: Partial<OutboxEntry> = {}): OutboxEntry {
  const identifier = patch.identifier ?? testIdentifier(i)
  const document = 'document' in patch ? patch.document : FIXTURE_DOCUMENT
  return {
    kind: 'issue',
    identifier,
    typeCode: TYPE_CODE,
    typeName: '中华人民共和国残疾人证',
    holderMasked: '张*国 410105********0032',
    mode: 'offline',
    version: 1,
    operation: 'I',
    record: testRecord(identifier),
    ...(document ? { document, documentSm3: Buffer.from(sm3(document)).toString('hex') } : {}),
    completedAtMs: Date.parse('2026-03-02T02:15:00Z'),
    deadline: {
      at: '2026-03-03T23:59:59+08:00',
      ms: Date.parse('2026-03-03T23:59:59+08:00'),
      provisional: false,
    },
    ...patch,
  }
}

/** Queues `n` issuances (ids `from`…), in transactions of 500. */
export function enqueueMany(
  outbox: OutboxStore,
  n: number,
  from = 1,
  patch: Partial<OutboxEntry> = {},
): void {
  for (let start = 0; start < n; start += 500) {
    outbox.db.transaction(() => {
      for (let i = start; i < Math.min(n, start + 500); i++)
        outbox.enqueue(testEntry(from + i, patch))
    })()
  }
}
