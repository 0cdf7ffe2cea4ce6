/**
 * Identifiers for issued licences: the standard MOD 37,36 check (verified against the shared
 * parser), and serials that cannot collide across terminals, nor with a terminal's own past
 * after its database is lost.
 */
import { describe, expect, it } from 'vitest'
import { parseLicenceId } from '../../../../src/shared/ids'
import {
  licenceIdentifier,
  nextSerial,
  splitSerial,
  terminalIdFromTag,
  terminalTag,
} from '../../../../src/main/issuance'
import { openTestDb, UNIT_CODE, TYPE_CODE } from '../sync/helpers'

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('terminal tags', () => {
  it('leave plain ids readable and escape what serials cannot hold', () => {
    expect(terminalTag('ZZ-JS-03')).toBe('ZZV0JSV003')
    expect(terminalTag('TRAIN-01')).toBe('TRAINV001')
    expect(terminalTag('Dev')).toBe('DV1EV1V')
    expect(terminalTag('VV')).toBe('VVVV')
    expect(() => terminalTag('bad id')).toThrow(RangeError)
  })

  it('are injective: distinct ids give distinct tags, and read back', () => {
    const random = rng(42)
    const chars = 'AVZ-avz019'
    const seen = new Map<string, string>()
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + Math.floor(random() * 6)
      let id = ''
      for (let i = 0; i < len; i++) id += chars[Math.floor(random() * chars.length)]
      const tag = terminalTag(id)
      expect(tag).toMatch(/^[0-9A-Z]+$/)
      expect(terminalIdFromTag(tag)).toBe(id)
      const other = seen.get(tag)
      if (other !== undefined) expect(other).toBe(id)
      seen.set(tag, id)
    }
    // The cases a lossy rule (upper-case, drop hyphens) would merge.
    const merged = ['ZZ-JS03', 'ZZJS-03', 'zzjs03', 'ZZJS03'].map(terminalTag)
    expect(new Set(merged).size).toBe(4)
  })
})

describe('serials', () => {
  const t0 = Date.parse('2026-03-02T02:00:00Z')

  it('never go back, and start above the clock (centiseconds since 2020)', () => {
    const db = openTestDb()
    const s1 = db.transaction(() => nextSerial(db, 'ZZ-JS-03', t0))()
    const s2 = db.transaction(() => nextSerial(db, 'ZZ-JS-03', t0))()
    const s3 = db.transaction(() => nextSerial(db, 'ZZ-JS-03', t0 - 86_400_000))()
    const c = [s1, s2, s3].map((s) => splitSerial(s)!)
    expect(c.every((x) => x.tag === 'ZZV0JSV003')).toBe(true)
    expect(c[0]!.counter).toBe((t0 - Date.UTC(2020, 0, 1)) / 10)
    expect(c[1]!.counter).toBe(c[0]!.counter + 1)
    expect(c[2]!.counter).toBe(c[1]!.counter + 1)
  })

  it('a terminal rebuilt from an empty database starts above what it issued before', () => {
    const before = openTestDb()
    const old = splitSerial(before.transaction(() => nextSerial(before, 'A1', t0))())!
    const rebuilt = openTestDb()
    const fresh = splitSerial(rebuilt.transaction(() => nextSerial(rebuilt, 'A1', t0 + 60_000))())!
    expect(fresh.counter).toBeGreaterThan(old.counter)
  })

  it('two terminals issuing at the same instant get different serials', () => {
    const a = openTestDb()
    const b = openTestDb()
    const fromA = new Set<string>()
    for (let i = 0; i < 200; i++) fromA.add(a.transaction(() => nextSerial(a, 'ZZ-JS03', t0))())
    for (let i = 0; i < 200; i++) {
      const s = b.transaction(() => nextSerial(b, 'ZZJS-03', t0))()
      expect(fromA.has(s)).toBe(false)
    }
  })

  it('only move if the issuance commits', () => {
    const db = openTestDb()
    const first = db.transaction(() => nextSerial(db, 'T1', t0))()
    expect(() =>
      db.transaction(() => {
        nextSerial(db, 'T1', t0)
        throw new Error('signing failed')
      })(),
    ).toThrow()
    const next = db.transaction(() => nextSerial(db, 'T1', t0))()
    expect(splitSerial(next)!.counter).toBe(splitSerial(first)!.counter + 1)
  })
})

it('identifiers carry the standard MOD 37,36 check', () => {
  const db = openTestDb()
  const serial = db.transaction(() =>
    nextSerial(db, 'ZZ-JS-03', Date.parse('2026-03-02T02:00:00Z')),
  )()
  const id = licenceIdentifier(TYPE_CODE, UNIT_CODE, serial)
  const parsed = parseLicenceId(id)
  expect(parsed).toMatchObject({
    valid: true,
    parts: { typeCode: TYPE_CODE, issuerCode: UNIT_CODE, serial, version: '001' },
  })
  expect(id.startsWith('1.2.156.3005.2.')).toBe(true)
})
