/**
 * Request signing for the exit-entry document identity authentication platform (NIA measures
 * art. 8: access by digital certificate). Each request carries the unit's certificate, a
 * timestamp, a nonce and an SM2 signature over `METHOD\nPATH\nTIMESTAMP\nNONCE\nSM3(body)`, so the
 * platform can tell which unit asked, refuse replays and refuse altered bodies.
 */
import { randomBytes } from 'node:crypto'
import {
  derToRawSignature,
  rawToDerSignature,
  sm2PublicKeyFromPrivate,
  sm2Sign,
  sm2Verify,
  sm3,
} from '../crypto'

export const HEADER = {
  certificate: 'x-unit-certificate',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const

export function signingString(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array,
): Uint8Array {
  const bodyHash = Buffer.from(sm3(body)).toString('hex')
  return new TextEncoder().encode(
    `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`,
  )
}

export interface UnitCredentials {
  /** DER of the unit's certificate. */
  readonly certificate: Uint8Array
  /** 32-byte SM2 private key. */
  readonly privateKey: Uint8Array
}

export function signRequest(
  credentials: UnitCredentials,
  method: string,
  path: string,
  body: Uint8Array,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = now.toISOString()
  const nonce = randomBytes(16).toString('hex')
  const publicKey = sm2PublicKeyFromPrivate(credentials.privateKey)
  const raw = sm2Sign(signingString(method, path, timestamp, nonce, body), {
    privateKey: credentials.privateKey,
    publicKey,
  })
  return {
    [HEADER.certificate]: Buffer.from(credentials.certificate).toString('base64'),
    [HEADER.timestamp]: timestamp,
    [HEADER.nonce]: nonce,
    [HEADER.signature]: Buffer.from(rawToDerSignature(raw)).toString('base64'),
  }
}

/** The platform's side: true when `signature` (DER, base64) is the unit key's over the request. */
export function verifyRequestSignature(
  publicKey: Uint8Array,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array,
  signatureB64: string,
): boolean {
  const raw = derToRawSignature(new Uint8Array(Buffer.from(signatureB64, 'base64')), 32)
  if (!raw) return false
  return sm2Verify(signingString(method, path, timestamp, nonce, body), raw, publicKey)
}
