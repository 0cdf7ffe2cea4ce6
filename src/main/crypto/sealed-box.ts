/**
 * Encryption at rest for personal data that must persist (the outbox, issued licences): AES-256-GCM
 * from node:crypto, which Electron's BoringSSL has too. A box names the key it was sealed with, so
 * a wrong key is told apart from a damaged record, and it is bound to what it belongs to (the
 * associated data), so a box moved to another row does not open.
 *
 * Layout: `CD` 0x01 ‖ key id (4) ‖ IV (12) ‖ tag (16) ‖ ciphertext.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

const MAGIC = Buffer.from([0x43, 0x44, 0x01])
const HEADER = MAGIC.length + 4 + 12 + 16

export type OpenFailure = 'not-a-box' | 'wrong-key' | 'damaged'

export class SealedBoxError extends Error {
  constructor(readonly reason: OpenFailure) {
    super(`sealed box cannot be opened: ${reason}`)
    this.name = 'SealedBoxError'
  }
}

/** Four bytes that name a key without revealing it. */
export function dataKeyId(key: Uint8Array): Buffer {
  return createHmac('sha256', key).update('counterdesk data key id').digest().subarray(0, 4)
}

function checkKey(key: Uint8Array): void {
  if (key.length !== 32) throw new RangeError('a data key is 32 bytes')
}

export function sealBox(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  checkKey(key)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([MAGIC, dataKeyId(key), iv, cipher.getAuthTag(), body])
}

export function openBox(key: Uint8Array, box: Uint8Array, aad: string): Buffer {
  checkKey(key)
  const b = Buffer.from(box.buffer, box.byteOffset, box.byteLength)
  if (b.length < HEADER || !b.subarray(0, 3).equals(MAGIC)) throw new SealedBoxError('not-a-box')
  if (!b.subarray(3, 7).equals(dataKeyId(key))) throw new SealedBoxError('wrong-key')
  const decipher = createDecipheriv('aes-256-gcm', key, b.subarray(7, 19))
  decipher.setAAD(Buffer.from(aad, 'utf8'))
  decipher.setAuthTag(b.subarray(19, 35))
  try {
    return Buffer.concat([decipher.update(b.subarray(35)), decipher.final()])
  } catch {
    throw new SealedBoxError('damaged')
  }
}
