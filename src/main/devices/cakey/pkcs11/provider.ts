/**
 * CA keys through a PKCS#11 module. Certificates are read in a public session; the PIN opens a
 * user session whose key signs a digest made here (ECDSA, RSA PKCS#1 v1.5; SM2 only when the
 * module names a vendor mechanism for it). PKCS#11 reports retries only as flags (count low,
 * final try, locked); the caller counts the attempts itself and caps what it shows by them.
 */
import { CounterError } from '../../../../shared/errors'
import {
  derToRawSignature,
  digest,
  pkcs1DigestInfo,
  rawToDerSignature,
  sm2MessageDigest,
  SM2_DEFAULT_USER_ID,
} from '../../../crypto'
import type { Logger } from '../../../log'
import { Presence } from '../presence'
import type {
  PinStatus,
  SignRequest,
  TokenEvent,
  TokenInfo,
  TokenKey,
  TokenProvider,
  TokenSession,
} from '../types'
import { CKA, CKC_X_509, CKF, CKK, CKM, CKO, CKR, ckrName } from './constants'
import { loadPkcs11Module, Pkcs11Error, readUlong, ulongBytes, type Pkcs11Module } from './module'

export interface Pkcs11ProviderOptions {
  readonly id: string
  readonly label: string
  /** The module (.so / .dll) path. */
  readonly module: string
  readonly pollIntervalMs?: number
  /** A vendor mechanism that signs an SM2 digest e = SM3(Z‖M); without one, SM2 keys need SKF. */
  readonly sm2Mechanism?: number
  readonly logger?: Logger
  /** For tests: a module already loaded. */
  readonly load?: (path: string) => Pkcs11Module
}

const REMOVED = new Set<number>([
  CKR.DEVICE_REMOVED,
  CKR.TOKEN_NOT_PRESENT,
  CKR.SESSION_CLOSED,
  CKR.SESSION_HANDLE_INVALID,
  CKR.SLOT_ID_INVALID,
])

export function pkcs11ToCounterError(error: unknown): unknown {
  if (!(error instanceof Pkcs11Error)) return error
  if (REMOVED.has(error.rv))
    return new CounterError('CAKEY_TOKEN_REMOVED', { detail: error.message })
  switch (error.rv) {
    case CKR.PIN_LOCKED:
      return new CounterError('CAKEY_PIN_LOCKED', { detail: error.message })
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      return new CounterError('CAKEY_PIN_FORMAT', { detail: error.message })
    case CKR.USER_NOT_LOGGED_IN:
      return new CounterError('CAKEY_NOT_LOGGED_IN', { detail: error.message })
    default:
      return new CounterError('CAKEY_LIBRARY_CALL_FAILED', {
        params: { call: error.call, rv: ckrName(error.rv) },
      })
  }
}

/**
 * The token's PIN flags. They bound the attempts left but never count them, so `remaining` is
 * given only when locked: the caller keeps its own count and caps it by `finalTry` / `countLow`.
 */
export function pinStatusOf(flags: number): PinStatus {
  const locked = (flags & CKF.USER_PIN_LOCKED) !== 0
  return {
    locked,
    ...(locked ? { remaining: 0 } : {}),
    finalTry: !locked && (flags & CKF.USER_PIN_FINAL_TRY) !== 0,
    countLow: !locked && (flags & CKF.USER_PIN_COUNT_LOW) !== 0,
  }
}

export class Pkcs11Provider implements TokenProvider {
  readonly kind = 'pkcs11' as const
  readonly simulated = false
  readonly id: string
  readonly label: string
  private module: Pkcs11Module | undefined

  constructor(private readonly options: Pkcs11ProviderOptions) {
    this.id = options.id
    this.label = options.label
  }

  async open(): Promise<void> {
    if (this.module) return
    const module = (this.options.load ?? loadPkcs11Module)(this.options.module)
    try {
      await module.slots(false)
    } catch (error) {
      await module.finalize().catch(() => undefined)
      throw new CounterError('CAKEY_LIBRARY_LOAD_FAILED', {
        params: { library: this.options.module },
        detail: String(error),
        cause: error,
      })
    }
    this.module = module
  }

  async close(): Promise<void> {
    const m = this.module
    this.module = undefined
    await m?.finalize()
  }

  private mod(): Pkcs11Module {
    if (!this.module) throw new CounterError('CAKEY_NO_TOKEN', { detail: 'provider not open' })
    return this.module
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw pkcs11ToCounterError(error)
    }
  }

  /** Present tokens by id; the slot can change when a key is replugged, the serial does not. */
  private async present(): Promise<Map<string, { slot: number; info: TokenInfo; flags: number }>> {
    const m = this.mod()
    const out = new Map<string, { slot: number; info: TokenInfo; flags: number }>()
    for (const slot of await m.slots(true)) {
      let record
      try {
        record = await m.tokenInfo(slot)
      } catch (error) {
        // Pulled out between the two calls, or not a token we can use.
        this.options.logger?.debug('PKCS#11 token info failed', { slot, error: String(error) })
        continue
      }
      // An uninitialised slot (SoftHSM keeps a free one) holds nothing to sign with.
      if (!(record.flags & CKF.TOKEN_INITIALIZED)) continue
      const id = `${this.id}/${record.serial || `slot-${slot}`}`
      out.set(id, {
        slot,
        flags: record.flags,
        info: {
          id,
          providerId: this.id,
          label: record.label || record.model,
          serial: record.serial,
          manufacturer: record.manufacturer,
          simulated: false,
        },
      })
    }
    return out
  }

  private async slotOf(tokenId: string): Promise<{ slot: number; flags: number }> {
    const found = (await this.present()).get(tokenId)
    if (!found) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
    return found
  }

  tokens(): Promise<TokenInfo[]> {
    return this.guard(async () => [...(await this.present()).values()].map((t) => t.info))
  }

  keys(tokenId: string): Promise<TokenKey[]> {
    return this.guard(async () => {
      const m = this.mod()
      const { slot } = await this.slotOf(tokenId)
      const session = await m.openSession(slot)
      try {
        const certs = await m.findObjects(session, [
          { type: CKA.CLASS, value: ulongBytes(CKO.CERTIFICATE) },
          { type: CKA.CERTIFICATE_TYPE, value: ulongBytes(CKC_X_509) },
        ])
        const keys: TokenKey[] = []
        for (const handle of certs) {
          const attrs = await m.attributes(session, handle, [CKA.VALUE, CKA.ID])
          const value = attrs.get(CKA.VALUE)
          if (!value?.length) continue
          const id = attrs.get(CKA.ID)
          keys.push({ ref: id?.length ? Buffer.from(id).toString('hex') : '', certificate: value })
        }
        return keys
      } finally {
        await m.closeSession(session)
      }
    })
  }

  pinStatus(tokenId: string, _keyRef?: string): Promise<PinStatus> {
    return this.guard(async () => pinStatusOf((await this.slotOf(tokenId)).flags))
  }

  login(tokenId: string, _keyRef: string, pin: string): Promise<TokenSession> {
    return this.guard(async () => {
      const m = this.mod()
      const { slot, flags } = await this.slotOf(tokenId)
      if (flags & CKF.USER_PIN_LOCKED) throw new CounterError('CAKEY_PIN_LOCKED')
      const session = await m.openSession(slot)
      // Login state is per token: log out first so that the PIN is really checked now.
      await m.logout(session)
      const rv = await m.login(session, pin)
      if (rv !== CKR.OK) {
        await m.closeSession(session)
        // Still logged in after the logout: the module did not log out (or someone logged in
        // again in between), and it has not looked at this PIN. Never take that as a right PIN.
        if (rv === CKR.USER_ALREADY_LOGGED_IN)
          throw new CounterError('CAKEY_PIN_NOT_VERIFIED', { detail: ckrName(rv) })
        if (rv === CKR.PIN_INCORRECT) {
          const after = pinStatusOf((await this.slotOf(tokenId).catch(() => ({ flags: 0 }))).flags)
          if (after.locked) throw new CounterError('CAKEY_PIN_LOCKED')
          throw new CounterError('CAKEY_PIN_INCORRECT_UNCOUNTED', {
            detail: after.finalTry ? 'final try' : after.countLow ? 'count low' : 'no count',
          })
        }
        throw new Pkcs11Error('C_Login', rv)
      }
      let open = true
      return {
        sign: async (request) => {
          if (!open) throw new CounterError('CAKEY_NOT_LOGGED_IN')
          return this.guard(() => this.sign(session, request))
        },
        logout: async () => {
          if (!open) return
          open = false
          await m.logout(session).catch(() => undefined)
          await m.closeSession(session).catch(() => undefined)
        },
      }
    })
  }

  private async sign(session: number, request: SignRequest): Promise<Uint8Array> {
    const m = this.mod()
    const template: { type: number; value: Uint8Array }[] = [
      { type: CKA.CLASS, value: ulongBytes(CKO.PRIVATE_KEY) },
    ]
    if (request.keyRef) template.push({ type: CKA.ID, value: Buffer.from(request.keyRef, 'hex') })
    const [key] = await m.findObjects(session, template)
    if (key === undefined)
      throw new CounterError('CAKEY_NO_CERTIFICATE', { detail: 'no private key' })
    const keyType = readUlong((await m.attributes(session, key, [CKA.KEY_TYPE])).get(CKA.KEY_TYPE))
    switch (request.algorithm) {
      case 'ecdsa-sha256':
      case 'ecdsa-sha384': {
        if (keyType !== CKK.EC) break
        const hash = digest(
          request.algorithm === 'ecdsa-sha256' ? 'sha256' : 'sha384',
          request.message,
        )
        const raw = await m.sign(session, CKM.ECDSA, key, hash)
        if (raw.length % 2 || raw.length < 64 || raw.length > 132)
          throw new CounterError('CAKEY_SIGN_FAILED', { params: { rv: 'CKM_ECDSA' } })
        return rawToDerSignature(raw)
      }
      case 'rsa-sha256': {
        if (keyType !== CKK.RSA) break
        const info = pkcs1DigestInfo('sha256', digest('sha256', request.message))
        return m.sign(session, CKM.RSA_PKCS, key, info)
      }
      case 'sm2-sm3': {
        const mechanism = this.options.sm2Mechanism
        if (mechanism === undefined) break
        const e = sm2MessageDigest(request.message, request.publicKey, SM2_DEFAULT_USER_ID)
        const out = await m.sign(session, mechanism, key, e)
        // Vendors return r‖s or DER; accept either.
        if (out.length === 64) return rawToDerSignature(out)
        if (derToRawSignature(out)) return out
        throw new CounterError('CAKEY_SIGN_FAILED', { params: { rv: 'SM2' } })
      }
    }
    throw new CounterError('CAKEY_UNSUPPORTED_KEY', { params: { algorithm: request.algorithm } })
  }

  /** PKCS#11 has no portable event call (C_WaitForSlotEvent is often missing): it is polled. */
  watch(listener: (event: TokenEvent) => void): () => void {
    const presence = new Presence(listener, {
      what: 'PKCS#11',
      logger: this.options.logger,
    })
    return presence.poll(
      async () => (await this.present()).keys(),
      this.options.pollIntervalMs ?? 1000,
    )
  }
}
