import { describe, expect, it } from 'vitest'
import {
  checkCitizenId,
  checkIdentifier,
  checkUscc,
  completeUscc,
  makeLicenceId,
  maskIdNumber,
  mod3736CheckChar,
  parseLicenceId,
} from '../../../src/shared/ids'

describe('citizen identity numbers (GB 11643, MOD 11-2)', () => {
  it.each(['11010519491231002X', '440524188001010014'])(
    'accepts the published example %s',
    (id) => {
      expect(checkCitizenId(id)).toMatchObject({ kind: 'citizen-id', valid: true })
    },
  )

  it('reads birth date and sex from the number', () => {
    expect(checkCitizenId('11010519491231002X')).toMatchObject({
      birthDate: '1949-12-31',
      sex: 'female',
      region: '110105',
    })
    expect(checkCitizenId('440524188001010014')).toMatchObject({
      birthDate: '1880-01-01',
      sex: 'male',
    })
  })

  it('names the expected check character when it is wrong', () => {
    expect(checkCitizenId('110105194912310021')).toEqual(
      expect.objectContaining({ valid: false, expected: 'X', reason: 'check-character' }),
    )
  })

  it('rejects impossible birth dates and bad shapes', () => {
    expect(checkCitizenId('110105194902300020').reason).toBe('birth-date')
    expect(checkCitizenId('11010519491231002').reason).toBe('format')
    expect(checkCitizenId('1101051949123100XX').reason).toBe('format')
  })
})

describe('unified social credit codes (GB 32100)', () => {
  it('accepts the published example', () => {
    expect(checkUscc('91350100M000100Y43')).toEqual({
      kind: 'uscc',
      valid: true,
      organisationCodeValid: true,
    })
  })

  it('names the expected check character', () => {
    expect(checkUscc('91350100M000100Y44')).toMatchObject({ valid: false, expected: '3' })
  })

  it('refuses characters outside the charset (I, O, S, V, Z)', () => {
    expect(checkUscc('91350100M000100YI3').reason).toBe('format')
  })

  it('completes a prefix into a code that checks', () => {
    const code = completeUscc('91410105MA44K7QX')
    expect(checkUscc(code)).toMatchObject({ valid: true, organisationCodeValid: true })
  })
})

describe('licence identifiers (GB/T 36904, MOD 37,36)', () => {
  const parts = {
    typeCode: '11100000000013338W032',
    issuerCode: '91350100M000100Y43',
    serial: '0001',
    version: '001',
  }

  it('computes the hybrid MOD 37,36 check so that the whole string checks to 1', () => {
    // ISO/IEC 7064 hybrid property: running the algorithm over data + check leaves p = 2·1 mod 37.
    for (const data of ['0', 'A', '11100000000013338W03291350100M000100Y430001001', 'ZZZZ']) {
      const check = mod3736CheckChar(data)!
      let p = 36
      for (const c of data + check) {
        const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55
        let t = (p + v) % 36
        if (t === 0) t = 36
        p = (2 * t) % 37
      }
      expect(p).toBe(2)
    }
  })

  it('round-trips a generated identifier', () => {
    const id = makeLicenceId(parts)
    expect(id.startsWith('1.2.156.3005.2.11100000000013338W032.91350100M000100Y43.0001.001.')).toBe(
      true,
    )
    expect(parseLicenceId(id)).toEqual({ kind: 'licence-id', valid: true, parts })
  })

  it('reports the expected character for a wrong one', () => {
    const id = makeLicenceId(parts)
    const wrong = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0')
    expect(checkIdentifier(wrong)).toMatchObject({
      kind: 'licence-id',
      valid: false,
      expected: id.at(-1),
    })
  })

  it('refuses parts it cannot encode', () => {
    expect(() => makeLicenceId({ ...parts, version: '1' })).toThrow(RangeError)
    expect(() => makeLicenceId({ ...parts, serial: 'a-1' })).toThrow(RangeError)
  })
})

describe('identifier kind detection and masking', () => {
  it('recognises each kind by shape', () => {
    expect(checkIdentifier('11010519491231002X').kind).toBe('citizen-id')
    expect(checkIdentifier('91350100M000100Y43').kind).toBe('uscc')
    expect(checkIdentifier('hello').kind).toBe('unknown')
  })

  it('masks the way the logs and the screen show numbers', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
    expect(maskIdNumber('USA410185051201')).toBe('USA410*****1201')
    expect(maskIdNumber('H60412785')).toBe('H6*****85')
  })
})
