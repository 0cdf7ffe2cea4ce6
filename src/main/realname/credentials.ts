/** The unit's certificate and SM2 key from the files the configuration names. */
import { readFileSync } from 'node:fs'
import { CounterError } from '../../shared/errors'
import { parseCertificate } from '../pki'
import type { UnitCredentials } from './signing'

export function loadUnitCredentials(certificateFile: string, keyFile: string): UnitCredentials {
  let certificate: Uint8Array
  let privateKey: Uint8Array
  try {
    const cert = parseCertificate(new Uint8Array(readFileSync(certificateFile)))
    if (cert.publicKey.algorithm !== 'sm2') throw new Error('not an SM2 certificate')
    certificate = cert.der
  } catch (error) {
    throw new CounterError('REALNAME_CERT_INVALID', {
      params: { reason: '证书文件无法使用' },
      detail: String(error),
    })
  }
  try {
    const hex = readFileSync(keyFile, 'utf8').trim()
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('not 64 hex digits')
    privateKey = Uint8Array.from(Buffer.from(hex, 'hex'))
  } catch (error) {
    throw new CounterError('REALNAME_CERT_INVALID', {
      params: { reason: '私钥文件应为 64 位十六进制 SM2 私钥' },
      detail: String(error),
    })
  }
  return { certificate, privateKey }
}
