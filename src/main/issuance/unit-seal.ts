/**
 * The unit's electronic seal on a CA token: the seal file (SESeal) comes from the seal authority,
 * its signing key lives on a UKey reached through the CA-key layer. A key qualifies when its
 * certificate is one the seal lists; the clerk's PIN opens a session for one signature only.
 */
import { createHash } from 'node:crypto'
import { derToRawSignature, sm3 } from '../crypto'
import type { PinStatus, TokenInfo, TokenKey, TokenSession } from '../devices'
import {
  displayName,
  parseCertificate,
  parseSeal,
  type MessageSealSigner,
  type SesSeal,
} from '../ofd'
import { CounterError } from '../../shared/errors'
import type { SignerOption } from '../../shared/domain'

/** What the unit seal needs of the CA-key layer. */
export interface TokenAccess {
  tokens(): TokenInfo[]
  keys(tokenId: string): Promise<TokenKey[]>
  pinStatus(tokenId: string, keyRef: string): Promise<PinStatus>
  login(tokenId: string, keyRef: string, pin: string): Promise<TokenSession>
}

export interface UnitSealOptions {
  readonly tokens: TokenAccess
  /** The seal file's bytes; undefined when none is configured. */
  seal(): Promise<Uint8Array | undefined>
}

export interface OpenedUnitSeal {
  readonly signer: MessageSealSigner
  readonly seal: Uint8Array
  readonly sealName: string
  readonly signerName: string
  /** Ends the PIN session; call after signing, whatever happened. */
  close(): Promise<void>
}

export interface UnitSeal {
  /** One option per qualifying key that is in; one unavailable option saying why when none. */
  options(): Promise<SignerOption[]>
  open(keyId: string, pin: string | undefined): Promise<OpenedUnitSeal>
}

const KEY_ID_SEPARATOR = '#'
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

function listsCertificate(seal: SesSeal, certificate: Uint8Array): boolean {
  if (seal.certs.length > 0) return seal.certs.some((c) => sha256(c) === sha256(certificate))
  // v4 seals may list digests instead of certificates.
  const digest = hex(sm3(certificate))
  return seal.certDigests.some((d) => hex(d.value) === digest)
}

function unavailable(reason: string): SignerOption {
  return {
    choice: { kind: 'token', keyId: 'unit-seal' },
    label: '单位电子印章（CA 证书）',
    available: false,
    unavailableCode: 'ISSUANCE_SIGNER_UNAVAILABLE',
    unavailableReason: reason,
  }
}

export function createUnitSeal(o: UnitSealOptions): UnitSeal {
  let parsed: { bytes: Uint8Array; seal: SesSeal } | undefined

  const loadSeal = async (): Promise<{ bytes: Uint8Array; seal: SesSeal } | undefined> => {
    const bytes = await o.seal()
    if (!bytes) return undefined
    if (parsed && sha256(parsed.bytes) === sha256(bytes)) return parsed
    try {
      parsed = { bytes, seal: parseSeal(bytes) }
    } catch (cause) {
      throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
        params: { reason: '单位印章文件无法读取，请联系管理员重新导入' },
        cause,
      })
    }
    return parsed
  }

  /** Keys that are in and that the seal lists. */
  const qualifying = async (seal: SesSeal) => {
    const found: { token: TokenInfo; key: TokenKey }[] = []
    for (const token of o.tokens.tokens()) {
      let keys: TokenKey[]
      try {
        keys = await o.tokens.keys(token.id)
      } catch {
        continue // pulled out while we looked
      }
      for (const key of keys)
        if (listsCertificate(seal, key.certificate)) found.push({ token, key })
    }
    return found
  }

  return {
    async options() {
      let loaded
      try {
        loaded = await loadSeal()
      } catch {
        return [unavailable('单位印章文件无法读取')]
      }
      if (!loaded) return [unavailable('未配置单位印章文件')]
      const keys = await qualifying(loaded.seal)
      if (keys.length === 0) return [unavailable('请插入单位电子印章 Key')]
      return keys.map(({ token, key }) => ({
        choice: { kind: 'token' as const, keyId: token.id + KEY_ID_SEPARATOR + key.ref },
        label: `${loaded.seal.name}（${token.label}）`,
        available: true,
        needsPin: true,
      }))
    },

    async open(keyId, pin) {
      const loaded = await loadSeal()
      if (!loaded)
        throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
          params: { reason: '未配置单位印章文件' },
        })
      const at = keyId.lastIndexOf(KEY_ID_SEPARATOR)
      const tokenId = keyId.slice(0, at)
      const keyRef = keyId.slice(at + 1)
      const match = (await qualifying(loaded.seal)).find(
        (k) => k.token.id === tokenId && k.key.ref === keyRef,
      )
      if (at <= 0 || !match)
        throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
          params: { reason: '请插入单位电子印章 Key' },
        })
      if (!pin) throw new CounterError('ISSUANCE_PIN_REQUIRED')
      // A key that cannot seal is refused before its PIN is tried (a wrong try counts on the
      // key), and no session is left open behind an error.
      const certificate = match.key.certificate
      const cert = parseCertificate(certificate)
      const publicKey = cert.sm2PublicKey
      if (!publicKey)
        throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
          params: { reason: '印章证书不是 SM2 证书' },
        })
      const session = await o.tokens.login(tokenId, keyRef, pin)
      return {
        signer: {
          certificate,
          async signMessage(message) {
            const der = await session.sign({ keyRef, algorithm: 'sm2-sm3', message, publicKey })
            const raw = derToRawSignature(der)
            if (!raw)
              throw new CounterError('OFD_SIGNER_FAILED', { params: { reason: '签名值格式错误' } })
            return raw
          },
        },
        seal: loaded.bytes,
        sealName: loaded.seal.name,
        signerName: displayName(cert.subject),
        close: () => session.logout().catch(() => undefined),
      }
    },
  }
}
