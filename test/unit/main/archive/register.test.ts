import { describe, expect, it } from 'vitest'
import {
  ArchiveRegister,
  keyId,
  type CopyInput,
  type PrintStart,
} from '../../../../src/main/archive'
import { isCounterError } from '../../../../src/shared/errors'
import { memoryDb } from './fixtures'

const copy = (identifier: string, businessSerial = 'YW001'): CopyInput => ({
  identifier,
  businessSerial,
  matterCode: 'M1',
  matterName: '户口迁移',
  licence: '居民户口簿 410105006852',
  issuerCode: '11410105MB1613052U',
})
const start: PrintStart = {
  batchId: 'AB20260520-143205-0A1B',
  staff: { name: '培训审核员', code: '410100********0025', role: 'supervisor' },
  paper: 'A4',
  pages: 1,
  seal: 'valid',
  verification: '电子签章有效；证照库状态：有效',
  qrExpires: '2027-05-20',
}

function clock(iso: string) {
  let t = Date.parse(iso)
  return {
    now: () => new Date(t),
    advance: (ms: number) => (t += ms),
  }
}

describe('archive register', () => {
  it('numbers each copy once, per terminal and Shanghai year, and marks later prints as reprints', () => {
    const c = clock('2026-05-20T06:32:05Z')
    const reg = new ArchiveRegister(memoryDb(), 'ZZ-JS-03', c.now)
    const a = reg.beginPrint(copy('ID-A'), start)
    expect(a).toMatchObject({ archiveNo: 'ZZ-JS-03-2026-000001', printNo: 1, reprint: false })
    expect(a.firstPrintedAt).toBeUndefined()
    reg.completePrints([a.id], 'AB1/YW001.pdf', 'aa')
    // The same licence for another business is another copy; the same licence and business is not.
    const b = reg.beginPrint(copy('ID-A', 'YW002'), start)
    expect(b.archiveNo).toBe('ZZ-JS-03-2026-000002')
    reg.completePrints([b.id], 'AB1/YW002.pdf', 'bb')
    c.advance(3_600_000)
    const again = reg.beginPrint(copy('ID-A'), start)
    expect(again).toMatchObject({
      archiveNo: 'ZZ-JS-03-2026-000001',
      printNo: 2,
      reprint: true,
      firstPrintedAt: '2026-05-20T06:32:05.000Z',
    })
    reg.completePrints([again.id], 'AB2/YW001.pdf', 'cc')
    expect(reg.printCount('ZZ-JS-03-2026-000001')).toBe(2)

    // 2026-12-31 16:30 UTC is 1 January 2027 in Shanghai: a new year's counter.
    const ny = new ArchiveRegister(memoryDb(), 'T', () => new Date('2026-12-31T16:30:00Z'))
    expect(ny.beginPrint(copy('ID-B'), start).archiveNo).toBe('T-2027-000001')
  })

  it('hands an unfinished print back instead of numbering or counting it again', () => {
    const reg = new ArchiveRegister(memoryDb(), 'T', () => new Date('2026-05-20T06:00:00Z'))
    const first = reg.beginPrint(copy('ID-A'), start)
    // A crash before the file was complete: the next attempt gets the same row and number.
    const retry = reg.beginPrint(copy('ID-A'), { ...start, batchId: 'AB20260520-150000-FFFF' })
    expect(retry).toMatchObject({
      id: first.id,
      archiveNo: first.archiveNo,
      printNo: 1,
      reprint: false,
    })
    expect(reg.beginPrint(copy('ID-B'), start).archiveNo).toBe('T-2026-000002')
    // A cancelled print leaves the copy its number; printing later is still the first print.
    reg.cancelPrints([retry.id])
    const later = reg.beginPrint(copy('ID-A'), start)
    expect(later.id).not.toBe(first.id)
    expect(later).toMatchObject({ archiveNo: 'T-2026-000001', printNo: 1, reprint: false })
    expect(
      reg
        .prints({})
        .map((p) => p.state)
        .sort(),
    ).toEqual(['cancelled', 'pending', 'pending'])
  })

  it('lists what was printed, when, by whom and for which business, newest first', () => {
    const c = clock('2026-05-19T02:00:00Z')
    const reg = new ArchiveRegister(memoryDb(), 'T', c.now)
    const p1 = reg.beginPrint(copy('ID-A', 'YW001'), start)
    reg.completePrints([p1.id], 'a.pdf', 'x')
    c.advance(86_400_000)
    const p2 = reg.beginPrint(copy('ID-B', 'YW002'), start)
    reg.completePrints([p2.id], 'b.pdf', 'y')
    const p3 = reg.beginPrint(copy('ID-A', 'YW001'), start)
    reg.completePrints([p3.id], 'c.pdf', 'z')
    const all = reg.prints({})
    expect(all.map((p) => [p.archiveNo, p.printNo, p.reprint])).toEqual([
      ['T-2026-000001', 2, true],
      ['T-2026-000002', 1, false],
      ['T-2026-000001', 1, false],
    ])
    expect(all[0]).toMatchObject({
      identifier: 'ID-A',
      businessSerial: 'YW001',
      matterName: '户口迁移',
      staffName: '培训审核员',
      staffRole: 'supervisor',
      output: 'c.pdf',
      state: 'done',
    })
    expect(reg.prints({ businessSerial: 'YW002' }).map((p) => p.identifier)).toEqual(['ID-B'])
    expect(reg.prints({ from: '2026-05-20', to: '2026-05-20' })).toHaveLength(2)
    expect(reg.prints({ to: '2026-05-19' })).toHaveLength(1)
    expect(reg.firstPrint('T-2026-000001')).toMatchObject({
      prints: 2,
      printedAt: '2026-05-19T02:00:00.000Z',
    })
  })

  it('makes the QR signing key once and keeps it; a configured key must be a valid SM2 key', () => {
    const db = memoryDb()
    const k1 = new ArchiveRegister(db, 'T').signingKey()
    const k2 = new ArchiveRegister(db, 'T').signingKey()
    expect(k2.kid).toBe(k1.kid)
    expect(k1.kid).toBe(keyId(k1.keys.publicKey))
    expect([...new ArchiveRegister(db, 'T').publicKeys().keys()]).toEqual([k1.kid])
    const configured = new ArchiveRegister(db, 'T').signingKey('11'.repeat(32))
    expect(configured.keys.publicKey).toHaveLength(65)
    for (const bad of ['xyz', '00'.repeat(32)]) {
      try {
        new ArchiveRegister(db, 'T').signingKey(bad)
        expect.unreachable()
      } catch (error) {
        expect(isCounterError(error) && error.code).toBe('ARCHIVE_KEY_INVALID')
      }
    }
  })
})
