/**
 * Chip Authentication (Doc 9303 Part 11 §6.2): an ephemeral key agreement with the chip's static
 * key from DG14, after which secure messaging restarts with keys only the genuine chip can know.
 * Version 1 with 3DES uses MSE:Set KAT; AES uses MSE:Set AT and General Authenticate.
 */
import { CounterError } from '../../../shared/errors'
import { SW, swHex } from './apdu'
import { encodeOidValue } from './asn1'
import type { ApduChannel } from './channel'
import { dhGroup, ecGroup, type PaceGroup } from './pace-group'
import { deriveSessionKeys, sessionCipher } from './pace'
import type {
  ChipAuthenticationInfo,
  ChipAuthenticationPublicKeyInfo,
  SecurityInfo,
} from './security-infos'
import { SecureMessaging } from './sm'
import type { PublicKey } from './spki'
import { encodeTlv } from './tlv'

export function groupOfKey(
  key: PublicKey,
): { group: PaceGroup; peer: ReturnType<PaceGroup['decode']> } | undefined {
  if (key.kind === 'ec') return { group: ecGroup(key.curve), peer: key.point }
  if (key.kind === 'dh') return { group: dhGroup(key.group), peer: key.y }
  return undefined
}

/** The CA protocol and key to use from DG14: matching key ids, ECDH preferred. */
export function chooseChipAuthentication(
  infos: readonly SecurityInfo[],
): { info: ChipAuthenticationInfo; key: ChipAuthenticationPublicKeyInfo } | undefined {
  const keys = infos.filter((i): i is ChipAuthenticationPublicKeyInfo => i.kind === 'ca-key')
  const protocols = infos.filter((i): i is ChipAuthenticationInfo => i.kind === 'ca')
  const pairs = keys.flatMap((key) => {
    const agreement = key.publicKey.kind === 'ec' ? 'ECDH' : 'DH'
    const matching = protocols.filter(
      (p) =>
        p.agreement === agreement &&
        (p.keyId === undefined || key.keyId === undefined || p.keyId === key.keyId),
    )
    // DG14 without ChipAuthenticationInfo means CA version 1 with 3DES.
    const implied: ChipAuthenticationInfo = {
      kind: 'ca',
      oid: `0.4.0.127.0.7.2.2.3.${agreement === 'ECDH' ? 2 : 1}.1`,
      version: 1,
      agreement,
      cipher: '3DES',
      keyId: key.keyId,
    }
    return (matching.length > 0 ? matching : [implied]).map((info) => ({ info, key }))
  })
  return pairs.sort(
    (a, b) => (a.info.agreement === 'ECDH' ? -1 : 1) - (b.info.agreement === 'ECDH' ? -1 : 1),
  )[0]
}

export async function performChipAuthentication(
  channel: ApduChannel,
  info: ChipAuthenticationInfo,
  key: ChipAuthenticationPublicKeyInfo,
): Promise<void> {
  const g = groupOfKey(key.publicKey)
  if (!g) throw new CounterError('EMRTD_UNSUPPORTED', { params: { what: 'CA key' } })
  const sk = g.group.randomScalar()
  const pk = g.group.encode(g.group.multiply(sk, g.group.generator))
  const keyRef =
    key.keyId !== undefined ? encodeTlv(0x84, Uint8Array.of(key.keyId)) : new Uint8Array(0)
  if (info.cipher === '3DES') {
    const r = await channel.send({
      cla: 0,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa6,
      data: Uint8Array.from([...encodeTlv(0x91, pk), ...keyRef]),
    })
    if (r.sw !== SW.OK)
      throw new CounterError('EMRTD_CARD_STATUS', {
        params: { command: 'MSE:Set KAT', sw: swHex(r.sw) },
      })
  } else {
    const mse = await channel.send({
      cla: 0,
      ins: 0x22,
      p1: 0x41,
      p2: 0xa4,
      data: Uint8Array.from([...encodeTlv(0x80, encodeOidValue(info.oid)), ...keyRef]),
    })
    if (mse.sw !== SW.OK)
      throw new CounterError('EMRTD_CARD_STATUS', {
        params: { command: 'MSE:Set AT (CA)', sw: swHex(mse.sw) },
      })
    const ga = await channel.send({
      cla: 0,
      ins: 0x86,
      p1: 0,
      p2: 0,
      data: encodeTlv(0x7c, encodeTlv(0x80, pk)),
      ne: 256,
    })
    if (ga.sw !== SW.OK)
      throw new CounterError('EMRTD_CARD_STATUS', {
        params: { command: 'GENERAL AUTHENTICATE (CA)', sw: swHex(ga.sw) },
      })
  }
  const shared = g.group.secret(g.group.multiply(sk, g.peer))
  const { ksEnc, ksMac } = deriveSessionKeys(info.cipher, shared)
  const cipher = sessionCipher(info.cipher, ksEnc, ksMac)
  channel.startSecureMessaging(new SecureMessaging(cipher, new Uint8Array(cipher.blockSize)))
}
