/**
 * The sign-in challenge: a fresh random nonce, the time and the terminal id, signed on the key
 * and verified here against the certificate. A signature proves the key holds the certificate's
 * private key now, at this terminal; the nonce is used once and the time bounds a replay.
 */
import { CounterError } from '../../shared/errors'
import { secureRandom } from '../crypto'
import type { SignAlgorithm } from '../devices'
import { verifySignature, type Certificate } from '../pki'

export interface Challenge {
  readonly nonce: string
  readonly time: string
  readonly terminalId: string
  /** What the key signs. */
  readonly bytes: Uint8Array
}

export function createChallenge(terminalId: string, now: Date = new Date()): Challenge {
  const nonce = Buffer.from(secureRandom(32)).toString('hex')
  const time = now.toISOString()
  const text = `CounterDesk staff sign-in\nterminal=${terminalId}\ntime=${time}\nnonce=${nonce}\n`
  return { nonce, time, terminalId, bytes: new TextEncoder().encode(text) }
}

/** The signature a certificate's key makes: SM2 with SM3, ECDSA, or RSA PKCS#1 v1.5. */
export function signAlgorithmFor(cert: Certificate): SignAlgorithm {
  switch (cert.publicKey.algorithm) {
    case 'sm2':
      return 'sm2-sm3'
    case 'ecdsa-p256':
      return 'ecdsa-sha256'
    case 'ecdsa-p384':
      return 'ecdsa-sha384'
    case 'rsa':
      return 'rsa-sha256'
    default:
      throw new CounterError('CAKEY_UNSUPPORTED_KEY', {
        params: { algorithm: cert.publicKey.algorithmOid },
      })
  }
}

export interface VerifyOptions {
  readonly now?: Date
  /** How old a challenge may be when its signature arrives (a slow token, or a replay). */
  readonly maxAgeSeconds?: number
}

export function verifyChallenge(
  challenge: Challenge,
  signature: Uint8Array,
  cert: Certificate,
  options: VerifyOptions = {},
): void {
  const age = ((options.now ?? new Date()).getTime() - Date.parse(challenge.time)) / 1000
  if (!(age >= -5 && age <= (options.maxAgeSeconds ?? 120)))
    throw new CounterError('AUTH_CHALLENGE_FAILED', { detail: `challenge age ${age}s` })
  if (!verifySignature(signAlgorithmFor(cert), cert.publicKey, challenge.bytes, signature))
    throw new CounterError('AUTH_CHALLENGE_FAILED', { detail: `serial ${cert.serialNumber}` })
}
