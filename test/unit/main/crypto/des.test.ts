import { describe, expect, it } from 'vitest'
import {
  adjustDesParity,
  padIso9797m2,
  retailMac,
  tdesCbcDecrypt,
  tdesCbcEncrypt,
} from '../../../../src/main/crypto'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase()
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))

// Doc 9303 Part 11, Appendix D.3: the BAC mutual authentication worked example.
const KENC = bytes('AB94FDECF2674FDFB9B391F85D7F76F2')
const KMAC = bytes('7962D9ECE03D1ACD4C76089DCE131543')
const S = bytes('781723860C06C226' + '4608F91988702212' + '0B795240CB7049B01C19B33E32804F0B')

describe('3DES and the retail MAC (Doc 9303 Part 11, Appendix D.3)', () => {
  it('encrypts S into E.IFD and decrypts it back', () => {
    const e = tdesCbcEncrypt(KENC, S)
    expect(hex(e)).toBe('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2')
    expect(hex(tdesCbcDecrypt(KENC, e))).toBe(hex(S))
  })

  it('computes M.IFD as the retail MAC of padded E.IFD', () => {
    const e = bytes('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2')
    expect(hex(retailMac(KMAC, padIso9797m2(e)))).toBe('5F1448EEA8AD90A7')
  })

  it('pads with 0x80 and zeros, adding a whole block to aligned data', () => {
    expect(hex(padIso9797m2(bytes('0102')))).toBe('0102800000000000')
    expect(padIso9797m2(new Uint8Array(8))).toHaveLength(16)
  })

  it('refuses unaligned data and wrong key sizes', () => {
    expect(() => tdesCbcEncrypt(KENC, new Uint8Array(7))).toThrow(RangeError)
    expect(() => retailMac(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError)
    expect(() => retailMac(KMAC, new Uint8Array(0))).toThrow(RangeError)
  })

  it('adjusts DES key parity to odd', () => {
    expect(hex(adjustDesParity(bytes('00FE0102')))).toBe('01FE0102')
    for (const b of adjustDesParity(bytes('239AB9CB282DAF66231DC5A4DF6BFBAE'))) {
      let ones = 0
      for (let v = b; v; v >>= 1) ones += v & 1
      expect(ones % 2).toBe(1)
    }
  })
})
