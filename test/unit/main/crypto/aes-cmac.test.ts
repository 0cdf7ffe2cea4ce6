import { describe, expect, it } from 'vitest'
import { aesCbcDecrypt, aesCbcEncrypt, aesCmac } from '../../../../src/main/crypto'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'))

// RFC 4493, section 4.
const KEY = bytes('2b7e1516 28aed2a6 abf71588 09cf4f3c')
const M = bytes(
  '6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51' +
    '30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710',
)

describe('AES-CMAC (RFC 4493 test vectors)', () => {
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('message of %i bytes', (len, mac) => {
    expect(hex(aesCmac(KEY, M.subarray(0, len)))).toBe(mac)
  })
})

describe('AES-CBC without padding', () => {
  it('round-trips and refuses partial blocks', () => {
    const iv = bytes('000102030405060708090a0b0c0d0e0f')
    const ct = aesCbcEncrypt(KEY, M, iv)
    // NIST SP 800-38A F.2.1, first block.
    expect(hex(ct.subarray(0, 16))).toBe('7649abac8119b246cee98e9b12e9197d')
    expect(hex(aesCbcDecrypt(KEY, ct, iv))).toBe(hex(M))
    expect(() => aesCbcEncrypt(KEY, new Uint8Array(15))).toThrow(RangeError)
  })
})
