/**
 * ICAO 9303 Part 11 §9.8 secure messaging: wrapping commands into DO87/85, DO97 and DO8E, and
 * unwrapping responses from DO87/85, DO99 and DO8E, with the send sequence counter incremented
 * once each way. Two ciphers: 3DES with the retail MAC (BAC, 3DES PACE/CA) and AES with CMAC
 * (PACE, CA). Pure functions over a mutable SSC; no I/O.
 */
import { CounterError } from '../../../shared/errors'
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  aesEcbEncrypt,
  padIso9797m2,
  retailMac,
  tdesCbcDecrypt,
  tdesCbcEncrypt,
} from '../../crypto'
import type { CommandApdu, ResponseApdu } from './apdu'
import { concatBytes, equalBytes, incrementCounter } from './bytes'
import { encodeTlv, readTlv, type Tlv } from './tlv'

export interface SmCipher {
  readonly name: '3DES' | 'AES'
  readonly blockSize: 8 | 16
  encrypt(ssc: Uint8Array, padded: Uint8Array): Uint8Array
  decrypt(ssc: Uint8Array, data: Uint8Array): Uint8Array
  /** 8-byte MAC over already padded input (which starts with the SSC). */
  mac(padded: Uint8Array): Uint8Array
}

/** 3DES-CBC with a zero IV and the retail MAC; 8-byte SSC. */
export function tdesCipher(ksEnc: Uint8Array, ksMac: Uint8Array): SmCipher {
  return {
    name: '3DES',
    blockSize: 8,
    encrypt: (_ssc, data) => tdesCbcEncrypt(ksEnc, data),
    decrypt: (_ssc, data) => tdesCbcDecrypt(ksEnc, data),
    mac: (data) => retailMac(ksMac, data),
  }
}

/** AES-CBC with IV = E(KSenc, SSC) and CMAC truncated to 8 bytes; 16-byte SSC. */
export function aesCipher(ksEnc: Uint8Array, ksMac: Uint8Array): SmCipher {
  return {
    name: 'AES',
    blockSize: 16,
    encrypt: (ssc, data) => aesCbcEncrypt(ksEnc, data, aesEcbEncrypt(ksEnc, ssc)),
    decrypt: (ssc, data) => aesCbcDecrypt(ksEnc, data, aesEcbEncrypt(ksEnc, ssc)),
    mac: (data) => aesCmac(ksMac, data).subarray(0, 8),
  }
}

function smError(reason: string): CounterError {
  return new CounterError('EMRTD_SM_MALFORMED', { params: { reason } })
}

/** Removes ISO 9797-1 method 2 padding; undefined if there is none. */
export function unpad(data: Uint8Array): Uint8Array | undefined {
  let i = data.length - 1
  while (i >= 0 && data[i] === 0) i--
  if (i < 0 || data[i] !== 0x80) return undefined
  return data.subarray(0, i)
}

function leBytes(ne: number, extended: boolean): Uint8Array {
  if (!extended) return Uint8Array.of(ne === 256 ? 0 : ne)
  return Uint8Array.of(ne === 65536 ? 0 : ne >> 8, ne & 0xff)
}

/**
 * A secure-messaging session: a cipher and its send sequence counter. `wrap` and `unwrap` must
 * alternate, one pair per APDU, exactly as the chip counts.
 */
export class SecureMessaging {
  readonly ssc: Uint8Array

  constructor(
    readonly cipher: SmCipher,
    ssc: Uint8Array,
  ) {
    if (ssc.length !== cipher.blockSize)
      throw new RangeError('SSC length must equal the block size')
    this.ssc = ssc.slice()
  }

  /**
   * The protected command. `extended` asks for extended length in the protected APDU (needed
   * when the plain Ne exceeds 256 or the protected data exceeds 255 bytes).
   */
  wrap(cmd: CommandApdu, extended = false): CommandApdu {
    const bs = this.cipher.blockSize
    const cla = (cmd.cla & 0xf0) | 0x0c
    const header = padIso9797m2(Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2), bs)
    // AES takes its IV from the incremented counter, so count first.
    incrementCounter(this.ssc)
    let dataDo: Uint8Array = new Uint8Array(0)
    if (cmd.data && cmd.data.length > 0) {
      const enc = this.cipher.encrypt(this.ssc, padIso9797m2(cmd.data, bs))
      // Odd INS (e.g. READ BINARY B1): DO85 carries the cryptogram without the padding indicator.
      dataDo = cmd.ins & 1 ? encodeTlv(0x85, enc) : encodeTlv(0x87, Uint8Array.of(1), enc)
    }
    const ne = cmd.ne ?? 0
    const useExtended = extended || ne > 256
    const leDo = ne > 0 ? encodeTlv(0x97, leBytes(ne, useExtended)) : new Uint8Array(0)
    const mac = this.cipher.mac(padIso9797m2(concatBytes(this.ssc, header, dataDo, leDo), bs))
    const body = concatBytes(dataDo, leDo, encodeTlv(0x8e, mac))
    return {
      cla,
      ins: cmd.ins,
      p1: cmd.p1,
      p2: cmd.p2,
      data: body,
      ne: useExtended || body.length > 255 ? 65536 : 256,
    }
  }

  /**
   * The plain response. A bare status word with no data objects (the chip's answer to a broken
   * SM session or an unsupported command) is passed through unchanged, unauthenticated.
   */
  unwrap(response: ResponseApdu): ResponseApdu {
    if (response.data.length === 0) {
      // Still counts: the chip incremented its SSC for this response.
      incrementCounter(this.ssc)
      return response
    }
    const objects: Tlv[] = []
    let p = 0
    try {
      while (p < response.data.length) {
        const { tlv, next } = readTlv(response.data, p)
        objects.push(tlv)
        p = next
      }
    } catch {
      throw smError('data objects cannot be parsed')
    }
    const macDo = objects.find((o) => o.tag === 0x8e)
    if (!macDo) throw smError('no DO8E')
    if (objects.at(-1) !== macDo) throw smError('DO8E is not last')
    if (macDo.value.length !== 8) throw smError('DO8E length')
    const dataDo = objects.find((o) => o.tag === 0x87 || o.tag === 0x85)
    const swDo = objects.find((o) => o.tag === 0x99)
    if (objects.some((o) => o !== macDo && o !== dataDo && o !== swDo))
      throw smError('unexpected data object')
    if (swDo && swDo.value.length !== 2) throw smError('DO99 length')
    incrementCounter(this.ssc)
    const covered = concatBytes(this.ssc, ...objects.filter((o) => o !== macDo).map((o) => o.raw))
    const mac = this.cipher.mac(padIso9797m2(covered, this.cipher.blockSize))
    if (!equalBytes(mac, macDo.value)) throw new CounterError('EMRTD_SM_MAC_FAILED')
    let data: Uint8Array = new Uint8Array(0)
    if (dataDo) {
      let cryptogram = dataDo.value
      if (dataDo.tag === 0x87) {
        if (cryptogram[0] !== 0x01) throw smError('DO87 padding indicator')
        cryptogram = cryptogram.subarray(1)
      }
      if (cryptogram.length === 0 || cryptogram.length % this.cipher.blockSize !== 0)
        throw smError('cryptogram length')
      // The SSC the response MAC used is also the IV source for AES.
      const plain = this.cipher.decrypt(this.ssc, cryptogram)
      const unpadded = unpad(plain)
      if (!unpadded) throw smError('padding')
      data = unpadded
    }
    const sw = swDo ? (swDo.value[0]! << 8) | swDo.value[1]! : response.sw
    return { data, sw }
  }
}

/**
 * Largest plain READ BINARY block whose protected response still fits `responseLimit` bytes of
 * response data: the cryptogram must be a whole number of blocks holding data plus ≥1 pad byte.
 */
export function maxPlainBlock(cipher: SmCipher, responseLimit: number): number {
  const overhead = 4 + 10 // DO99 + DO8E
  for (
    let c = Math.floor(responseLimit / cipher.blockSize) * cipher.blockSize;
    c > 0;
    c -= cipher.blockSize
  ) {
    const inner = c + 1 // padding indicator
    const header = 1 + (inner < 0x80 ? 1 : inner < 0x100 ? 2 : inner < 0x10000 ? 3 : 4)
    if (header + inner + overhead <= responseLimit) return c - 1
  }
  return 0
}
