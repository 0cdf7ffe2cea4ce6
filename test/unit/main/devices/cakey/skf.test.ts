/**
 * SKF's byte layouts and return codes as pure functions: name lists in GBK or UTF-8 (the bytes
 * handed back unchanged), ECC blobs with right-aligned 64-byte fields, DEVINFO packed and not,
 * and each SAR code turned into what the clerk should read.
 */
import { describe, expect, it } from 'vitest'
import {
  encodeEccPublicKeyBlob,
  encodeEccSignatureBlob,
  parseDevInfo,
  parseEccPublicKeyBlob,
  parseEccSignatureBlob,
  parseNameList,
  SAR,
  SkfError,
  skfToCounterError,
} from '../../../../../src/main/devices'
import { sm2GenerateKeyPair } from '../../../../../src/main/crypto'

describe('name lists', () => {
  it('splits a multi-string, keeps GBK bytes as given, and decodes them for display', () => {
    const gbk = Uint8Array.of(0xd5, 0xc5, 0xc8, 0xfd) // 张三 in GBK
    const list = Uint8Array.from([...Buffer.from('ePass3000GM'), 0, ...gbk, 0, 0, 0x41, 0x42])
    const names = parseNameList(list)
    expect(names.map((n) => n.text)).toEqual(['ePass3000GM', '张三'])
    expect([...names[1]!.bytes]).toEqual([...gbk])
  })

  it('an empty list, a list without the final NUL, and noise are handled', () => {
    expect(parseNameList(Uint8Array.of(0, 0))).toEqual([])
    expect(parseNameList(new Uint8Array())).toEqual([])
    expect(parseNameList(Uint8Array.from(Buffer.from('abc')))).toEqual([])
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)
    expect(parseNameList(noise).length).toBeLessThanOrEqual(64)
  })
})

describe('ECC blobs', () => {
  it('a public key round-trips; values sit right-aligned in 64-byte fields', () => {
    const { publicKey } = sm2GenerateKeyPair()
    const blob = encodeEccPublicKeyBlob(publicKey)
    expect(blob.length).toBe(132)
    expect([...blob.subarray(0, 4)]).toEqual([0, 1, 0, 0]) // BitLen 256, little-endian
    expect(blob.subarray(4, 36).every((b) => b === 0)).toBe(true)
    expect(parseEccPublicKeyBlob(blob)).toEqual(publicKey)
  })

  it('refuses a blob that is not a 256-bit key or overflows its field', () => {
    const { publicKey } = sm2GenerateKeyPair()
    const blob = encodeEccPublicKeyBlob(publicKey)
    const wrongBits = blob.slice()
    wrongBits[1] = 2
    expect(parseEccPublicKeyBlob(wrongBits)).toBeUndefined()
    const overflow = blob.slice()
    overflow[10] = 1
    expect(parseEccPublicKeyBlob(overflow)).toBeUndefined()
    expect(parseEccPublicKeyBlob(blob.subarray(0, 100))).toBeUndefined()
  })

  it('a signature blob gives r‖s', () => {
    const rs = Uint8Array.from({ length: 64 }, (_, i) => i + 1)
    const blob = encodeEccSignatureBlob(rs)
    expect(blob.length).toBe(128)
    expect(parseEccSignatureBlob(blob)).toEqual(rs)
    const bad = blob.slice()
    bad[0] = 9
    expect(parseEccSignatureBlob(bad)).toBeUndefined()
  })
})

describe('DEVINFO', () => {
  function devInfo(packed: boolean): Uint8Array {
    const buf = Buffer.alloc(packed ? 294 : 296)
    buf.write('飞天诚信', 2, 'utf8')
    buf.write('CA', 66)
    buf.write('李娜的证书', 130, 'utf8')
    buf.write('SN123', 162)
    buf.writeUInt32LE(0x00020100, (packed ? 198 : 200) + 4)
    return buf
  }
  it.each([true, false])('reads the fields (packed: %s)', (packed) => {
    expect(parseDevInfo(devInfo(packed), packed)).toMatchObject({
      manufacturer: '飞天诚信',
      issuer: 'CA',
      label: '李娜的证书',
      serial: 'SN123',
      algAsymCap: 0x00020100,
    })
  })
})

describe('SAR codes → what the clerk reads', () => {
  const map = (rv: number, retry?: number) =>
    skfToCounterError(new SkfError('SKF_VerifyPIN', rv, retry)) as { code: string; message: string }
  it('maps PIN, removal and other codes', () => {
    expect(map(SAR.PIN_INCORRECT, 3)).toMatchObject({
      code: 'CAKEY_PIN_INCORRECT',
      message: 'PIN 码错误，还可尝试 3 次',
    })
    expect(map(SAR.PIN_INCORRECT, 0).code).toBe('CAKEY_PIN_LOCKED')
    expect(map(SAR.PIN_LOCKED).code).toBe('CAKEY_PIN_LOCKED')
    expect(map(SAR.PIN_LEN_RANGE).code).toBe('CAKEY_PIN_FORMAT')
    expect(map(SAR.DEVICE_REMOVED).code).toBe('CAKEY_TOKEN_REMOVED')
    expect(map(SAR.USER_NOT_LOGGED_IN).code).toBe('CAKEY_NOT_LOGGED_IN')
    expect(map(0x0a000011)).toMatchObject({
      code: 'CAKEY_LIBRARY_CALL_FAILED',
      message: expect.stringContaining('0x0A000011'),
    })
    expect(map(SAR.FAIL).message).toContain('SAR_FAIL')
  })
})
