/**
 * Basic Access Control (Doc 9303 Part 11 §4.3): keys from the MRZ information, the mutual
 * authentication cryptograms, and the session keys and SSC that follow. The crypto is pure; the
 * exchange with the chip is `performBac`.
 */
import { randomBytes } from 'node:crypto'
import { CounterError } from '../../../shared/errors'
import { digest, padIso9797m2, retailMac, tdesCbcDecrypt, tdesCbcEncrypt } from '../../crypto'
import { SW, swHex } from './apdu'
import { concatBytes, equalBytes, xorBytes } from './bytes'
import type { ApduChannel } from './channel'
import { kdf, KDF_ENC, KDF_MAC } from './kdf'
import { SecureMessaging, tdesCipher } from './sm'

export interface BacKeys {
  readonly kseed: Uint8Array
  readonly kenc: Uint8Array
  readonly kmac: Uint8Array
}

export interface SessionKeys {
  readonly ksEnc: Uint8Array
  readonly ksMac: Uint8Array
  readonly ssc: Uint8Array
}

/** Kseed, Kenc and Kmac from the MRZ information (number+check, birth+check, expiry+check). */
export function bacKeys(mrzInfo: string): BacKeys {
  const kseed = digest('sha1', new TextEncoder().encode(mrzInfo)).subarray(0, 16)
  return { kseed, kenc: kdf(kseed, KDF_ENC, '3DES'), kmac: kdf(kseed, KDF_MAC, '3DES') }
}

/** E.IFD ‖ M.IFD: the EXTERNAL AUTHENTICATE command data. */
export function bacAuthenticationData(
  keys: BacKeys,
  rndIc: Uint8Array,
  rndIfd: Uint8Array,
  kIfd: Uint8Array,
): Uint8Array {
  const e = tdesCbcEncrypt(keys.kenc, concatBytes(rndIfd, rndIc, kIfd))
  return concatBytes(e, retailMac(keys.kmac, padIso9797m2(e)))
}

function denied(detail: string): CounterError {
  return new CounterError('EMRTD_ACCESS_DENIED', { detail })
}

/** Checks the chip's answer and derives the session keys; ACCESS_DENIED if it does not fit. */
export function bacSessionKeys(
  keys: BacKeys,
  response: Uint8Array,
  rndIc: Uint8Array,
  rndIfd: Uint8Array,
  kIfd: Uint8Array,
): SessionKeys {
  if (response.length !== 40) throw denied(`BAC response of ${response.length} bytes`)
  const e = response.subarray(0, 32)
  if (!equalBytes(retailMac(keys.kmac, padIso9797m2(e)), response.subarray(32)))
    throw denied('BAC response MAC')
  const r = tdesCbcDecrypt(keys.kenc, e)
  if (!equalBytes(r.subarray(0, 8), rndIc) || !equalBytes(r.subarray(8, 16), rndIfd))
    throw denied('BAC nonces')
  const seed = xorBytes(kIfd, r.subarray(16, 32))
  return {
    ksEnc: kdf(seed, KDF_ENC, '3DES'),
    ksMac: kdf(seed, KDF_MAC, '3DES'),
    ssc: concatBytes(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)),
  }
}

export interface BacRandom {
  readonly rndIfd: Uint8Array
  readonly kIfd: Uint8Array
}

/** GET CHALLENGE, EXTERNAL AUTHENTICATE, then secure messaging on the channel. */
export async function performBac(
  channel: ApduChannel,
  keys: BacKeys,
  random: BacRandom = { rndIfd: randomBytes(8), kIfd: randomBytes(16) },
): Promise<void> {
  const challenge = await channel.send({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 })
  if (challenge.sw !== SW.OK || challenge.data.length !== 8)
    throw new CounterError('EMRTD_CARD_STATUS', {
      params: { command: 'GET CHALLENGE', sw: swHex(challenge.sw) },
    })
  const rndIc = challenge.data
  const data = bacAuthenticationData(keys, rndIc, random.rndIfd, random.kIfd)
  const answer = await channel.send({ cla: 0, ins: 0x82, p1: 0, p2: 0, data, ne: 40 })
  if (answer.sw !== SW.OK) throw denied(`EXTERNAL AUTHENTICATE ${swHex(answer.sw)}`)
  const s = bacSessionKeys(keys, answer.data, rndIc, random.rndIfd, random.kIfd)
  channel.startSecureMessaging(new SecureMessaging(tdesCipher(s.ksEnc, s.ksMac), s.ssc), 'BAC')
}
