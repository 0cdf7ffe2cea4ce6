/**
 * The ICAO key derivation function (Doc 9303 Part 11 §9.7.1): SHA-1 for 3DES and AES-128,
 * SHA-256 for AES-192/256; counter 1 for encryption, 2 for MAC, 3 for the PACE password key.
 */
import { adjustDesParity, digest } from '../../crypto'
import { concatBytes } from './bytes'

export type CipherSuite = '3DES' | 'AES-128' | 'AES-192' | 'AES-256'

export const KDF_ENC = 1
export const KDF_MAC = 2
export const KDF_PACE = 3

export function kdf(secret: Uint8Array, counter: number, suite: CipherSuite): Uint8Array {
  const c = Uint8Array.of(0, 0, 0, counter)
  switch (suite) {
    case '3DES':
      return adjustDesParity(digest('sha1', concatBytes(secret, c)).subarray(0, 16))
    case 'AES-128':
      return digest('sha1', concatBytes(secret, c)).subarray(0, 16)
    case 'AES-192':
      return digest('sha256', concatBytes(secret, c)).subarray(0, 24)
    case 'AES-256':
      return digest('sha256', concatBytes(secret, c))
  }
}
