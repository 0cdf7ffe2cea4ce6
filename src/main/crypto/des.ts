/**
 * Triple DES and the ISO 9797-1 retail MAC (algorithm 3) that BAC and 3DES secure messaging use.
 * Electron's BoringSSL and OpenSSL 3 have no single DES, so the single-DES chaining steps run as
 * 3DES keyed K‖K‖K, which equals DES under K.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'

const ZERO_IV = new Uint8Array(8)

function key24(key: Uint8Array): Uint8Array {
  if (key.length === 24) return key
  if (key.length === 16) {
    const k = new Uint8Array(24)
    k.set(key, 0)
    k.set(key.subarray(0, 8), 16)
    return k
  }
  if (key.length === 8) {
    const k = new Uint8Array(24)
    k.set(key, 0)
    k.set(key, 8)
    k.set(key, 16)
    return k
  }
  throw new RangeError('DES key must be 8, 16 or 24 bytes')
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % 8 !== 0) throw new RangeError('DES data must be a multiple of 8 bytes')
}

/** 3DES-CBC without padding; a 16-byte key is K1‖K2‖K1, an 8-byte key is single DES. */
export function tdesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV) {
  checkBlocks(data)
  const c = createCipheriv('des-ede3-cbc', key24(key), iv).setAutoPadding(false)
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
}

export function tdesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV) {
  checkBlocks(data)
  const d = createDecipheriv('des-ede3-cbc', key24(key), iv).setAutoPadding(false)
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]))
}

/** ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to the block size. */
export function padIso9797m2(data: Uint8Array, blockSize = 8): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize)
  out.set(data, 0)
  out[data.length] = 0x80
  return out
}

/**
 * Retail MAC (ISO/IEC 9797-1 MAC algorithm 3 with DES): single-DES CBC under K1 over all but the
 * last block, then 3DES (K1, K2, K1) on the last. `data` must already be padded.
 */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError('retail MAC key must be 16 bytes')
  checkBlocks(data)
  if (data.length === 0) throw new RangeError('retail MAC needs at least one block')
  const k1 = key.subarray(0, 8)
  const head = data.subarray(0, data.length - 8)
  let chain: Uint8Array = ZERO_IV
  if (head.length > 0) {
    const ct = tdesCbcEncrypt(k1, head)
    chain = ct.subarray(ct.length - 8)
  }
  return tdesCbcEncrypt(key, data.subarray(data.length - 8), chain)
}

/** Sets odd parity in every byte, as DES keys derived by the ICAO KDF must have. */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  const out = key.slice()
  for (let i = 0; i < out.length; i++) {
    const b = out[i]! & 0xfe
    let ones = 0
    for (let v = b; v; v >>= 1) ones += v & 1
    out[i] = b | (ones % 2 === 0 ? 1 : 0)
  }
  return out
}
