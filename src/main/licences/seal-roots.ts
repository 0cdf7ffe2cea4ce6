/** The electronic-seal roots a terminal trusts, from certificate files (DER or PEM). */
import { readFileSync } from 'node:fs'
import { CounterError } from '../../shared/errors'

export function certificatesFromText(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1')
  const pem = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)]
  if (pem.length === 0) return [bytes]
  return pem.map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')))
}

export function loadSealRoots(files: readonly string[]): Uint8Array[] {
  return files.flatMap((file) => {
    try {
      return certificatesFromText(readFileSync(file))
    } catch (cause) {
      throw new CounterError('CONFIG_UNREADABLE', { params: { file }, cause })
    }
  })
}
