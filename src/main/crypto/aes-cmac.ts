/**
 * AES-CBC / ECB without padding and AES-CMAC (NIST SP 800-38B, RFC 4493), for PACE and AES
 * secure messaging. BoringSSL has AES but no CMAC, so CMAC is built here on AES-ECB.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'

function algorithm(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError('AES key must be 16, 24 or 32 bytes')
  return `aes-${key.length * 8}-${mode}`
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % 16 !== 0) throw new RangeError('AES data must be a multiple of 16 bytes')
}

const ZERO_IV = new Uint8Array(16)

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV) {
  checkBlocks(data)
  const c = createCipheriv(algorithm(key, 'cbc'), key, iv).setAutoPadding(false)
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV) {
  checkBlocks(data)
  const d = createDecipheriv(algorithm(key, 'cbc'), key, iv).setAutoPadding(false)
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]))
}

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data)
  const c = createCipheriv(algorithm(key, 'ecb'), key, null).setAutoPadding(false)
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
}

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16)
  for (let i = 0; i < 16; i++) out[i] = ((block[i]! << 1) | ((block[i + 1] ?? 0) >> 7)) & 0xff
  if (block[0]! & 0x80) out[15]! ^= 0x87
  return out
}

/** The full 16-byte AES-CMAC of a message of any length. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const l = aesEcbEncrypt(key, ZERO_IV)
  const k1 = shiftLeft(l)
  const k2 = shiftLeft(k1)
  const n = Math.max(1, Math.ceil(message.length / 16))
  const complete = message.length > 0 && message.length % 16 === 0
  const padded = new Uint8Array(n * 16)
  padded.set(message, 0)
  if (!complete) padded[message.length] = 0x80
  const sub = complete ? k1 : k2
  for (let i = 0; i < 16; i++) padded[(n - 1) * 16 + i]! ^= sub[i]!
  const ct = aesCbcEncrypt(key, padded)
  return ct.subarray(ct.length - 16)
}
