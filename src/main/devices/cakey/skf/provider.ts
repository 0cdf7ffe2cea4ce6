/**
 * CA keys through SKF (GM/T 0016): EnumDev → ConnectDev → EnumApplication / OpenApplication →
 * EnumContainer / OpenContainer → ExportCertificate (no PIN) … VerifyPIN → digest → ECCSignData.
 * The same code runs over a vendor DLL (koffi) and over the training simulator.
 */
import { CounterError } from '../../../../shared/errors'
import {
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
import { SkfError, type SkfApi, type SkfHandle } from './api'
import { encodeEccPublicKeyBlob, parseEccSignatureBlob, type SkfName } from './blobs'
import {
  CONTAINER_TYPE,
  DEFAULT_ALGORITHM_IDS,
  DEV_EVENT,
  PIN_TYPE,
  SAR,
  sarName,
  type SkfAlgorithmIds,
} from './constants'

export interface SkfProviderOptions {
  readonly id: string
  readonly label: string
  readonly simulated?: boolean
  /** Loads the library (or builds the simulator) when the provider opens. */
  readonly load: () => SkfApi | Promise<SkfApi>
  readonly algorithms?: SkfAlgorithmIds
  /** Compute e = SM3(Z‖M) on the token (SKF_DigestInit/SKF_Digest) instead of in software. */
  readonly digestOnToken?: boolean
  /** `wait`: SKF_WaitForDevEvent (falls back to polling when unsupported); `poll`: SKF_EnumDev. */
  readonly events?: 'wait' | 'poll'
  readonly pollIntervalMs?: number
  readonly signerId?: string
  readonly logger?: Logger
}

interface Device {
  readonly name: SkfName
  handle?: SkfHandle
  info?: TokenInfo
  /** ref → application and container names as the library gave them. */
  readonly refs: Map<string, { app: SkfName; container: SkfName }>
}

/** An SKF failure as the clerk should read it. */
export function skfToCounterError(error: unknown): unknown {
  if (!(error instanceof SkfError)) return error
  switch (error.rv) {
    case SAR.DEVICE_REMOVED:
      return new CounterError('CAKEY_TOKEN_REMOVED', { detail: error.message })
    case SAR.PIN_INCORRECT:
      return error.retryCount === 0
        ? new CounterError('CAKEY_PIN_LOCKED', { detail: error.message })
        : error.retryCount === undefined
          ? new CounterError('CAKEY_PIN_INCORRECT_UNCOUNTED', { detail: error.message })
          : new CounterError('CAKEY_PIN_INCORRECT', { params: { remaining: error.retryCount } })
    case SAR.PIN_LOCKED:
      return new CounterError('CAKEY_PIN_LOCKED', { detail: error.message })
    case SAR.PIN_INVALID:
    case SAR.PIN_LEN_RANGE:
      return new CounterError('CAKEY_PIN_FORMAT', { detail: error.message })
    case SAR.USER_NOT_LOGGED_IN:
      return new CounterError('CAKEY_NOT_LOGGED_IN', { detail: error.message })
    case SAR.TIMEOUTERR:
      return new CounterError('CAKEY_TIMEOUT', { detail: error.message })
    default:
      return new CounterError('CAKEY_LIBRARY_CALL_FAILED', {
        params: { call: error.call, rv: sarName(error.rv) },
      })
  }
}

export class SkfProvider implements TokenProvider {
  readonly kind = 'skf' as const
  readonly id: string
  readonly label: string
  readonly simulated: boolean
  private api: SkfApi | undefined
  private readonly devices = new Map<string, Device>()
  private readonly algorithms: SkfAlgorithmIds
  private readonly signerId: string
  /** The SKF_WaitForDevEvent in flight: the library must not be unloaded under it. */
  private pendingWait: Promise<unknown> | undefined

  constructor(private readonly options: SkfProviderOptions) {
    this.id = options.id
    this.label = options.label
    this.simulated = options.simulated ?? false
    this.algorithms = options.algorithms ?? DEFAULT_ALGORITHM_IDS
    this.signerId = options.signerId ?? SM2_DEFAULT_USER_ID
  }

  async open(): Promise<void> {
    this.api ??= await this.options.load()
  }

  async close(): Promise<void> {
    const api = this.api
    if (!api) return
    for (const d of this.devices.values()) {
      if (d.handle !== undefined) await api.disconnectDev(d.handle).catch(() => undefined)
    }
    this.devices.clear()
    this.api = undefined
    const pending = this.pendingWait
    if (pending) {
      await api.cancelWaitForDevEvent().catch(() => undefined)
      const settled = await Promise.race([
        pending.then(
          () => true,
          () => true,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
      ])
      // A library that ignores the cancel keeps its thread; leaking it beats crashing under it.
      if (!settled) return
    }
    api.unload()
  }

  private lib(): SkfApi {
    if (!this.api) throw new CounterError('CAKEY_NO_TOKEN', { detail: 'provider not open' })
    return this.api
  }

  private tokenId(name: SkfName): string {
    return `${this.id}/${name.text}`
  }

  /** Runs `fn`, turning SKF codes into clerk-facing errors and forgetting a removed device. */
  private async guard<T>(tokenId: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (
        tokenId &&
        error instanceof SkfError &&
        (error.rv === SAR.DEVICE_REMOVED || error.rv === SAR.INVALIDHANDLEERR)
      ) {
        this.forget(tokenId)
        throw new CounterError('CAKEY_TOKEN_REMOVED', { detail: error.message })
      }
      throw skfToCounterError(error)
    }
  }

  private forget(tokenId: string): void {
    const d = this.devices.get(tokenId)
    if (!d) return
    this.devices.delete(tokenId)
    if (d.handle !== undefined) void this.api?.disconnectDev(d.handle).catch(() => undefined)
  }

  private async device(tokenId: string): Promise<Device & { handle: SkfHandle }> {
    let d = this.devices.get(tokenId)
    if (!d) {
      const names = await this.lib().enumDev(true)
      const name = names.find((n) => this.tokenId(n) === tokenId)
      if (!name) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
      d = { name, refs: new Map() }
      this.devices.set(tokenId, d)
    }
    d.handle ??= await this.lib().connectDev(d.name)
    return d as Device & { handle: SkfHandle }
  }

  async tokens(): Promise<TokenInfo[]> {
    return this.guard(undefined, async () => {
      const names = await this.lib().enumDev(true)
      const present = new Set(names.map((n) => this.tokenId(n)))
      for (const id of [...this.devices.keys()]) if (!present.has(id)) this.forget(id)
      const out: TokenInfo[] = []
      for (const name of names) {
        const id = this.tokenId(name)
        try {
          const d = await this.device(id)
          if (!d.info) {
            const info = await this.lib()
              .getDevInfo(d.handle)
              .catch(() => undefined)
            const sm2 = this.algorithms.sm2Sign
            if (info && info.algAsymCap !== 0 && (info.algAsymCap & sm2) !== sm2)
              this.options.logger?.warn('key does not list the configured SGD_SM2_1', {
                device: name.text,
                algAsymCap: `0x${info.algAsymCap.toString(16)}`,
                configured: `0x${this.algorithms.sm2Sign.toString(16)}`,
              })
            d.info = {
              id,
              providerId: this.id,
              label: info?.label || name.text,
              serial: info?.serial || name.text,
              manufacturer: info?.manufacturer ?? '',
              simulated: this.simulated,
            }
          }
          out.push(d.info)
        } catch (error) {
          // A key that cannot even be connected is reported, not hidden.
          this.options.logger?.warn('SKF device not usable', {
            device: name.text,
            error: error instanceof SkfError ? sarName(error.rv) : String(error),
          })
          this.forget(id)
        }
      }
      return out
    })
  }

  async keys(tokenId: string): Promise<TokenKey[]> {
    return this.guard(tokenId, async () => {
      const api = this.lib()
      const d = await this.device(tokenId)
      const keys: TokenKey[] = []
      for (const appName of await api.enumApplication(d.handle)) {
        const app = await api.openApplication(d.handle, appName)
        try {
          for (const conName of await api.enumContainer(app)) {
            const con = await api.openContainer(app, conName)
            try {
              const type = await api.getContainerType(con).catch(() => CONTAINER_TYPE.ECC)
              if (type === CONTAINER_TYPE.EMPTY) continue
              let cert: Uint8Array
              try {
                cert = await api.exportCertificate(con, true)
              } catch (error) {
                if (error instanceof SkfError && error.rv !== SAR.DEVICE_REMOVED) continue
                throw error
              }
              if (cert.length === 0) continue
              const ref = `${appName.text}/${conName.text}`
              d.refs.set(ref, { app: appName, container: conName })
              keys.push({ ref, certificate: cert })
            } finally {
              await api.closeContainer(con).catch(() => undefined)
            }
          }
        } finally {
          await api.closeApplication(app).catch(() => undefined)
        }
      }
      return keys
    })
  }

  private async ref(tokenId: string, keyRef: string) {
    const d = await this.device(tokenId)
    if (!d.refs.has(keyRef)) await this.keys(tokenId)
    const names = d.refs.get(keyRef)
    if (!names) throw new CounterError('CAKEY_NO_CERTIFICATE', { detail: keyRef })
    return { d, ...names }
  }

  async pinStatus(tokenId: string, keyRef: string): Promise<PinStatus> {
    return this.guard(tokenId, async () => {
      const api = this.lib()
      const { d, app: appName } = await this.ref(tokenId, keyRef)
      const app = await api.openApplication(d.handle, appName)
      try {
        const info = await api.getPinInfo(app, PIN_TYPE.USER)
        return {
          locked: info.remaining === 0,
          remaining: info.remaining,
          max: info.max,
          finalTry: info.remaining === 1,
        }
      } catch (error) {
        if (error instanceof SkfError && error.rv === SAR.NOTSUPPORTYETERR) return { locked: false }
        throw error
      } finally {
        await api.closeApplication(app).catch(() => undefined)
      }
    })
  }

  async login(tokenId: string, keyRef: string, pin: string): Promise<TokenSession> {
    return this.guard(tokenId, async () => {
      const api = this.lib()
      const { d, app: appName } = await this.ref(tokenId, keyRef)
      const app = await api.openApplication(d.handle, appName)
      try {
        await api.verifyPin(app, PIN_TYPE.USER, pin)
      } catch (error) {
        await api.closeApplication(app).catch(() => undefined)
        throw error
      }
      let open = true
      return {
        sign: async (request) => {
          if (!open) throw new CounterError('CAKEY_NOT_LOGGED_IN')
          return this.guard(tokenId, () => this.signIn(d, app, request))
        },
        logout: async () => {
          if (!open) return
          open = false
          await api.clearSecureState(app).catch(() => undefined)
          await api.closeApplication(app).catch(() => undefined)
        },
      }
    })
  }

  private async signIn(
    d: Device & { handle: SkfHandle },
    app: SkfHandle,
    request: SignRequest,
  ): Promise<Uint8Array> {
    const api = this.lib()
    const dev = d.handle
    const names = d.refs.get(request.keyRef)
    if (!names) throw new CounterError('CAKEY_NO_CERTIFICATE', { detail: request.keyRef })
    const con = await api.openContainer(app, names.container)
    try {
      if (request.algorithm === 'sm2-sm3') {
        const e = this.options.digestOnToken
          ? await this.digestOnToken(dev, request)
          : sm2MessageDigest(request.message, request.publicKey, this.signerId)
        const rs = parseEccSignatureBlob(await api.eccSignData(con, e))
        if (!rs) throw new CounterError('CAKEY_SIGN_FAILED', { params: { rv: 'ECCSIGNATUREBLOB' } })
        return rawToDerSignature(rs)
      }
      if (request.algorithm === 'rsa-sha256') {
        const info = pkcs1DigestInfo('sha256', digest('sha256', request.message))
        return await api.rsaSignData(con, info)
      }
      throw new CounterError('CAKEY_UNSUPPORTED_KEY', { params: { algorithm: request.algorithm } })
    } finally {
      await api.closeContainer(con).catch(() => undefined)
    }
  }

  private async digestOnToken(dev: SkfHandle, request: SignRequest): Promise<Uint8Array> {
    const api = this.lib()
    const hash = await api.digestInit(
      dev,
      this.algorithms.sm3,
      encodeEccPublicKeyBlob(request.publicKey),
      new TextEncoder().encode(this.signerId),
    )
    try {
      return await api.digest(hash, request.message)
    } finally {
      await api.closeHandle(hash).catch(() => undefined)
    }
  }

  watch(listener: (event: TokenEvent) => void): () => void {
    let active = true
    const presence = new Presence(listener, {
      what: 'SKF',
      onRemoved: (id) => this.forget(id),
      logger: this.options.logger,
    })
    const list = async () => (await this.lib().enumDev(true)).map((n) => this.tokenId(n))
    let stopPolling: (() => void) | undefined
    const startPolling = () => {
      stopPolling = presence.poll(list, this.options.pollIntervalMs ?? 1000)
    }
    const waitLoop = async () => {
      await presence.look(list) // what is already in
      let failures = 0
      while (active) {
        try {
          const wait = this.lib().waitForDevEvent()
          this.pendingWait = wait
          const ev = await wait.finally(() => {
            if (this.pendingWait === wait) this.pendingWait = undefined
          })
          failures = 0
          if (!active) break
          const id = this.tokenId(ev.name)
          if (ev.event === DEV_EVENT.INSERTED) presence.inserted(id)
          else if (ev.event === DEV_EVENT.REMOVED) presence.removed(id)
        } catch (error) {
          if (!active) break
          if (error instanceof SkfError && error.rv === SAR.NOTSUPPORTYETERR) return startPolling()
          // A library that keeps failing its wait is watched by polling instead.
          if (++failures >= 3) return startPolling()
          await new Promise((r) => setTimeout(r, 500))
        }
      }
    }
    const waiting = (this.options.events ?? 'wait') === 'wait'
    if (waiting) void waitLoop()
    else startPolling()
    return () => {
      active = false
      stopPolling?.()
      if (waiting) void this.api?.cancelWaitForDevEvent().catch(() => undefined)
    }
  }
}
