import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ArchiveRegister,
  keyId,
  type CopyInput,
  type PrintStart,
} from '../../../../src/main/archive'
import { sm2GenerateKeyPair } from '../../../../src/main/crypto'
import { openDatabase } from '../../../../src/main/db'
import { createSealer } from '../../../../src/main/issuance'
import { isCounterError } from '../../../../src/shared/errors'
import { memoryDb, tempDir } from './fixtures'

/** The app's data key, as the issuance domain seals personal data with it. */
const dataKey = () => createSealer(new Uint8Array(randomBytes(32)))

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return isCounterError(error) ? error.code : 'not a CounterError'
  }
}

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
    const sealer = dataKey()
    const k1 = new ArchiveRegister(db, 'T').signingKey(undefined, sealer)
    const k2 = new ArchiveRegister(db, 'T').signingKey(undefined, sealer)
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

  it('keeps the signing key sealed with the data key, and never stores a new one in the clear', () => {
    const db = memoryDb()
    const sealer = dataKey()
    const reg = new ArchiveRegister(db, 'T')
    // Without a data key no key is made (printing says so), and nothing is stored.
    expect(codeOf(() => reg.signingKey())).toBe('ARCHIVE_KEY_LOCKED')
    expect(codeOf(() => reg.signingKey(undefined, createSealer(undefined)))).toBe(
      'ARCHIVE_KEY_LOCKED',
    )
    expect(reg.keyStorage()).toBe('none')

    const key = reg.signingKey(undefined, sealer)
    expect(reg.keyStorage()).toBe('sealed')
    const row = db.prepare('SELECT private_key FROM archive_keys').get() as { private_key: string }
    const hex = Buffer.from(key.keys.privateKey).toString('hex')
    expect(row.private_key.startsWith('sealed:')).toBe(true)
    expect(row.private_key).not.toContain(hex)
    expect(
      Buffer.from(row.private_key.slice(7), 'base64').includes(Buffer.from(key.keys.privateKey)),
    ).toBe(false)
    // The same data key opens it; another, or none, does not — and the key is kept.
    expect(new ArchiveRegister(db, 'T').signingKey(undefined, sealer).keys.privateKey).toEqual(
      key.keys.privateKey,
    )
    expect(codeOf(() => new ArchiveRegister(db, 'T').signingKey(undefined, dataKey()))).toBe(
      'ARCHIVE_KEY_UNREADABLE',
    )
    expect(codeOf(() => new ArchiveRegister(db, 'T').signingKey())).toBe('ARCHIVE_KEY_LOCKED')
    expect([...reg.publicKeys().keys()]).toEqual([key.kid])
    // A box moved to another key's row does not open there.
    db.prepare('UPDATE archive_keys SET kid = ?').run('00000000')
    expect(codeOf(() => new ArchiveRegister(db, 'T').signingKey(undefined, sealer))).toBe(
      'ARCHIVE_KEY_UNREADABLE',
    )
  })

  it('seals a key an older version stored in plain hex, and scrubs it from the file', () => {
    const file = join(tempDir('archive-key-'), 'counterdesk.db')
    const db = openDatabase({ file })
    const old = sm2GenerateKeyPair()
    const kid = keyId(old.publicKey)
    const hex = Buffer.from(old.privateKey).toString('hex')
    db.prepare(
      'INSERT INTO archive_keys (kid, public_key, private_key, created_at) VALUES (?, ?, ?, ?)',
    ).run(kid, Buffer.from(old.publicKey).toString('hex'), hex, '2026-01-05T02:00:00.000Z')
    db.pragma('wal_checkpoint(TRUNCATE)')
    const onDisk = () =>
      [file, `${file}-wal`]
        .filter(existsSync)
        .some((f) => readFileSync(f).includes(Buffer.from(hex, 'latin1')))
    expect(onDisk()).toBe(true)

    // Without a data key it is still used (copies keep being signed), and left as it was.
    const reg = new ArchiveRegister(db, 'T')
    expect(reg.signingKey().keys.privateKey).toEqual(old.privateKey)
    expect(reg.keyStorage()).toBe('plain')
    // With one, it is sealed in place: same key, same id, and no plain copy left in the file.
    const sealer = dataKey()
    const sealed = reg.signingKey(undefined, sealer)
    expect(sealed.kid).toBe(kid)
    expect(sealed.keys.privateKey).toEqual(old.privateKey)
    expect(reg.keyStorage()).toBe('sealed')
    expect(onDisk()).toBe(false)
    db.close()
    const again = openDatabase({ file })
    expect(new ArchiveRegister(again, 'T').signingKey(undefined, sealer).keys.privateKey).toEqual(
      old.privateKey,
    )
    again.close()
    expect(onDisk()).toBe(false)
  })

  it('refuses a stored key that is not the pair of its public key', () => {
    const db = memoryDb()
    const a = sm2GenerateKeyPair()
    const b = sm2GenerateKeyPair()
    db.prepare(
      'INSERT INTO archive_keys (kid, public_key, private_key, created_at) VALUES (?, ?, ?, ?)',
    ).run(
      keyId(a.publicKey),
      Buffer.from(a.publicKey).toString('hex'),
      Buffer.from(b.privateKey).toString('hex'),
      '2026-01-05T02:00:00.000Z',
    )
    expect(codeOf(() => new ArchiveRegister(db, 'T').signingKey(undefined, dataKey()))).toBe(
      'ARCHIVE_KEY_UNREADABLE',
    )
  })
})
