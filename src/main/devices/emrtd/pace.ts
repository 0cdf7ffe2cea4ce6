/**
 * PACE (Doc 9303 Part 11 §4.4) on the terminal side: MSE:Set AT, the four General Authenticate
 * steps with the generic mapping over ECDH or DH, the authentication tokens, and secure
 * messaging with the new session keys. Each cryptographic step is a pure function so the
 * Appendix G worked example can be checked step by step.
 */
import { randomBytes } from 'node:crypto'
import { CounterError } from '../../../shared/errors'
import {
  aesCbcDecrypt,
  aesCmac,
  bytesToBigInt,
  digest,
  padIso9797m2,
  retailMac,
  tdesCbcDecrypt,
} from '../../crypto'
import { SW, swHex, type ResponseApdu } from './apdu'
import { encodeOidValue } from './asn1'
import { equalBytes } from './bytes'
import type { ApduChannel } from './channel'
import { kdf, KDF_ENC, KDF_MAC, KDF_PACE, type CipherSuite } from './kdf'
import {
  genericMapping,
  publicKeyDataObject,
  standardizedGroup,
  type GroupElement,
  type PaceGroup,
} from './pace-group'
import { integratedMapping } from './pace-im'
import type { PaceInfo } from './security-infos'
import { aesCipher, SecureMessaging, tdesCipher, type SmCipher } from './sm'
import { encodeTlv, parseTlv, parseTlvList } from './tlv'

export type PasswordKind = 'mrz' | 'can'

export interface PacePassword {
  readonly kind: PasswordKind
  /** K: SHA-1 of the MRZ information, or the CAN's characters. */
  readonly secret: Uint8Array
}

export function mrzPassword(mrzInfo: string): PacePassword {
  return { kind: 'mrz', secret: digest('sha1', new TextEncoder().encode(mrzInfo)) }
}

export function canPassword(can: string): PacePassword {
  return { kind: 'can', secret: new TextEncoder().encode(can) }
}

export function passwordKey(password: PacePassword, cipher: CipherSuite): Uint8Array {
  return kdf(password.secret, KDF_PACE, cipher)
}

export function decryptNonce(cipher: CipherSuite, kPi: Uint8Array, z: Uint8Array): Uint8Array {
  return cipher === '3DES' ? tdesCbcDecrypt(kPi, z) : aesCbcDecrypt(kPi, z)
}

export function sessionCipher(cipher: CipherSuite, ksEnc: Uint8Array, ksMac: Uint8Array): SmCipher {
  return cipher === '3DES' ? tdesCipher(ksEnc, ksMac) : aesCipher(ksEnc, ksMac)
}

export function deriveSessionKeys(cipher: CipherSuite, secret: Uint8Array) {
  return { ksEnc: kdf(secret, KDF_ENC, cipher), ksMac: kdf(secret, KDF_MAC, cipher) }
}

/** The authentication token: MAC over the peer's public key data object, 8 bytes. */
export function authenticationToken(
  cipher: CipherSuite,
  ksMac: Uint8Array,
  group: PaceGroup,
  oid: string,
  peerPublic: GroupElement,
): Uint8Array {
  const data = publicKeyDataObject(group, oid, peerPublic)
  return cipher === '3DES'
    ? retailMac(ksMac, padIso9797m2(data))
    : aesCmac(ksMac, data).subarray(0, 8)
}

export function mseSetAtData(
  oid: string,
  password: PasswordKind,
  parameterId?: number,
): Uint8Array {
  const parts = [
    encodeTlv(0x80, encodeOidValue(oid)),
    encodeTlv(0x83, Uint8Array.of(password === 'mrz' ? 1 : 2)),
  ]
  if (parameterId !== undefined) parts.push(encodeTlv(0x84, Uint8Array.of(parameterId)))
  return Uint8Array.from(parts.flatMap((p) => [...p]))
}

function paceFailed(step: string, sw?: number): CounterError {
  // 63Cx / 6300 on the token step means the password was wrong.
  if (sw !== undefined && (sw === 0x6300 || sw >> 4 === 0x63c || sw === SW.SECURITY_NOT_SATISFIED))
    return new CounterError('EMRTD_ACCESS_DENIED', { detail: `PACE ${step} ${swHex(sw)}` })
  return new CounterError('EMRTD_CARD_STATUS', {
    params: { command: `PACE ${step}`, sw: sw === undefined ? '—' : swHex(sw) },
  })
}

function dynamicData(response: ResponseApdu, tag: number, step: string): Uint8Array {
  if (response.sw !== SW.OK) throw paceFailed(step, response.sw)
  try {
    const outer = parseTlv(response.data)
    if (outer.tag !== 0x7c) throw new Error('no 7C')
    const item = parseTlvList(outer.value).find((t) => t.tag === tag)
    if (!item) throw new Error(`no ${tag.toString(16)}`)
    return item.value
  } catch {
    throw new CounterError('EMRTD_TLV_MALFORMED', { params: { reason: `PACE ${step} response` } })
  }
}

/** Test hooks: fixed terminal keys reproduce a worked example. */
export interface PaceTerminalKeys {
  readonly mapKey?: bigint
  readonly ephemeralKey?: bigint
  /** Integrated mapping: the terminal's nonce t. */
  readonly terminalNonce?: Uint8Array
}

export interface PaceResult {
  readonly group: PaceGroup
  readonly chipEphemeralPublic: Uint8Array
  readonly cipher: CipherSuite
}

export async function performPace(
  channel: ApduChannel,
  info: PaceInfo,
  password: PacePassword,
  options: { group?: PaceGroup; keys?: PaceTerminalKeys; sendParameterId?: boolean } = {},
): Promise<PaceResult> {
  if (info.mapping === 'CAM')
    throw new CounterError('EMRTD_UNSUPPORTED', {
      params: { what: `PACE ${info.agreement}-${info.mapping}` },
    })
  const base =
    options.group ??
    (info.parameterId !== undefined ? standardizedGroup(info.parameterId) : undefined)
  if (!base)
    throw new CounterError('EMRTD_UNSUPPORTED', {
      params: { what: `PACE domain parameters ${info.parameterId ?? '?'}` },
    })

  const mse = await channel.send({
    cla: 0,
    ins: 0x22,
    p1: 0xc1,
    p2: 0xa4,
    data: mseSetAtData(
      info.oid,
      password.kind,
      options.sendParameterId ? info.parameterId : undefined,
    ),
  })
  if (mse.sw !== SW.OK && mse.sw >> 4 !== 0x63c) throw paceFailed('MSE:Set AT', mse.sw)

  const ga = (data: Uint8Array, last: boolean) =>
    channel.send({
      cla: last ? 0x00 : 0x10,
      ins: 0x86,
      p1: 0,
      p2: 0,
      data: encodeTlv(0x7c, data),
      ne: 256,
    })

  // 1. Encrypted nonce.
  const z = dynamicData(await ga(new Uint8Array(0), false), 0x80, 'nonce')
  if (z.length === 0 || z.length % (info.cipher === '3DES' ? 8 : 16) !== 0)
    throw new CounterError('EMRTD_TLV_MALFORMED', { params: { reason: 'PACE nonce length' } })
  const nonce = decryptNonce(info.cipher, passwordKey(password, info.cipher), z)

  // 2. Mapping: generic (an ephemeral key exchange) or integrated (the terminal's nonce t).
  let group: PaceGroup
  if (info.mapping === 'IM') {
    const t = options.keys?.terminalNonce ?? new Uint8Array(randomBytes(nonce.length))
    const answer = await ga(encodeTlv(0x81, t), false)
    if (answer.sw !== SW.OK) throw paceFailed('mapping', answer.sw)
    try {
      group = integratedMapping(base, info.cipher, nonce, t)
    } catch (error) {
      if (error instanceof CounterError) throw error
      throw new CounterError('EMRTD_ACCESS_DENIED', { detail: 'PACE integrated mapping failed' })
    }
  } else {
    const mapKey = options.keys?.mapKey ?? base.randomScalar()
    const mapPublic = base.multiply(mapKey, base.generator)
    const chipMap = dynamicData(
      await ga(encodeTlv(0x81, base.encode(mapPublic)), false),
      0x82,
      'mapping',
    )
    try {
      group = genericMapping(base, bytesToBigInt(nonce), mapKey, base.decode(chipMap))
    } catch {
      throw new CounterError('EMRTD_ACCESS_DENIED', { detail: 'PACE mapping point invalid' })
    }
  }

  // 3. Ephemeral key agreement on the mapped generator.
  const ephKey = options.keys?.ephemeralKey ?? group.randomScalar()
  const ephPublic = group.multiply(ephKey, group.generator)
  const chipEphBytes = dynamicData(
    await ga(encodeTlv(0x83, group.encode(ephPublic)), false),
    0x84,
    'key agreement',
  )
  let chipEph: GroupElement
  try {
    chipEph = group.decode(chipEphBytes)
  } catch {
    throw new CounterError('EMRTD_ACCESS_DENIED', { detail: 'PACE ephemeral key invalid' })
  }
  if (group.equal(chipEph, ephPublic))
    throw new CounterError('EMRTD_ACCESS_DENIED', { detail: 'PACE reflected key' })
  const shared = group.secret(group.multiply(ephKey, chipEph))
  const { ksEnc, ksMac } = deriveSessionKeys(info.cipher, shared)

  // 4. Mutual authentication with tokens.
  const tPcd = authenticationToken(info.cipher, ksMac, group, info.oid, chipEph)
  const tPicc = dynamicData(await ga(encodeTlv(0x85, tPcd), true), 0x86, 'token')
  const expected = authenticationToken(info.cipher, ksMac, group, info.oid, ephPublic)
  if (!equalBytes(tPicc, expected))
    throw new CounterError('EMRTD_ACCESS_DENIED', { detail: 'PACE chip token' })

  const cipher = sessionCipher(info.cipher, ksEnc, ksMac)
  channel.startSecureMessaging(
    new SecureMessaging(cipher, new Uint8Array(cipher.blockSize)),
    'PACE',
  )
  return { group, chipEphemeralPublic: chipEphBytes, cipher: info.cipher }
}
