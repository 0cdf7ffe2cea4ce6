/**
 * Simulated CA keys speaking SKF from the device side: software SM2 keys in containers, a user
 * PIN with a retry counter that locks, insert/remove events for SKF_WaitForDevEvent, and handles
 * that die when their key is pulled out — mid-signature included. Training mode runs the real
 * SKF provider over this; tests use it to script what a clerk's hands do.
 */
import { sm2MessageDigest, sm2SignDigest } from '../../crypto'
import {
  DEV_EVENT,
  encodeEccSignatureBlob,
  parseEccPublicKeyBlob,
  SAR,
  SkfError,
  type DevEvent,
  type DevInfo,
  type PinInfo,
  type SkfApi,
  type SkfHandle,
  type SkfName,
} from '../../devices'

export interface SimulatedKey {
  readonly id: string
  readonly label: string
  readonly serial: string
  readonly application: string
  readonly container: string
  readonly pin: string
  readonly maxRetries: number
  readonly privateKey: Uint8Array
  readonly publicKey: Uint8Array
  readonly certificate: Uint8Array
}

interface DeviceState {
  readonly key: SimulatedKey
  remaining: number
  inserted: boolean
  /** Bumped on every insertion: handles from before a removal are dead. */
  generation: number
  loggedIn: boolean
}

interface Handle {
  readonly kind: 'dev' | 'app' | 'con' | 'hash'
  readonly device: DeviceState
  readonly generation: number
  readonly hash?: { publicKey: Uint8Array | null; id: string }
}

const name = (text: string): SkfName => ({ text, bytes: new TextEncoder().encode(text) })

export class SkfSimulator implements SkfApi {
  private readonly devices = new Map<string, DeviceState>()
  private waiters: { resolve(e: DevEvent): void; reject(e: Error): void }[] = []
  private readonly pending: DevEvent[] = []
  /** Milliseconds each signature takes (tests pull the key out in between). */
  signDelayMs = 0

  constructor(keys: readonly SimulatedKey[]) {
    for (const key of keys)
      this.devices.set(key.id, {
        key,
        remaining: key.maxRetries,
        inserted: false,
        generation: 0,
        loggedIn: false,
      })
  }

  isInserted(id: string): boolean {
    return this.devices.get(id)?.inserted ?? false
  }

  insert(id: string): void {
    const d = this.devices.get(id)
    if (!d || d.inserted) return
    d.inserted = true
    d.generation++
    d.loggedIn = false
    this.emit({ name: name(id), event: DEV_EVENT.INSERTED })
  }

  remove(id: string): void {
    const d = this.devices.get(id)
    if (!d || !d.inserted) return
    d.inserted = false
    d.loggedIn = false
    this.emit({ name: name(id), event: DEV_EVENT.REMOVED })
  }

  /** Resets a key's PIN counter (what the CA's unlock would do). */
  unlock(id: string): void {
    const d = this.devices.get(id)
    if (d) d.remaining = d.key.maxRetries
  }

  private emit(event: DevEvent): void {
    const waiter = this.waiters.shift()
    if (waiter) waiter.resolve(event)
    else this.pending.push(event)
  }

  private handle(h: SkfHandle, kind: Handle['kind'], call: string): Handle {
    const handle = h as Handle
    if (!handle || handle.kind !== kind) throw new SkfError(call, SAR.INVALIDHANDLEERR)
    if (!handle.device.inserted || handle.device.generation !== handle.generation)
      throw new SkfError(call, SAR.DEVICE_REMOVED)
    return handle
  }

  private child(parent: Handle, kind: Handle['kind'], extra: Partial<Handle> = {}): Handle {
    return { kind, device: parent.device, generation: parent.generation, ...extra }
  }

  async enumDev(present: boolean): Promise<SkfName[]> {
    return [...this.devices.values()]
      .filter((d) => !present || d.inserted)
      .map((d) => name(d.key.id))
  }

  async connectDev(devName: SkfName): Promise<SkfHandle> {
    const d = this.devices.get(devName.text)
    if (!d || !d.inserted) throw new SkfError('SKF_ConnectDev', SAR.DEVICE_REMOVED)
    return { kind: 'dev', device: d, generation: d.generation } satisfies Handle
  }

  async disconnectDev(): Promise<void> {}

  async getDevInfo(dev: SkfHandle): Promise<DevInfo> {
    const d = this.handle(dev, 'dev', 'SKF_GetDevInfo').device
    return {
      manufacturer: 'CounterDesk 培训模拟',
      issuer: 'CounterDesk 培训电子认证中心',
      label: d.key.label,
      serial: d.key.serial,
      algAsymCap: 0x00020100,
      algHashCap: 0x00000001,
    }
  }

  async enumApplication(dev: SkfHandle): Promise<SkfName[]> {
    return [name(this.handle(dev, 'dev', 'SKF_EnumApplication').device.key.application)]
  }

  async openApplication(dev: SkfHandle, app: SkfName): Promise<SkfHandle> {
    const h = this.handle(dev, 'dev', 'SKF_OpenApplication')
    if (app.text !== h.device.key.application)
      throw new SkfError('SKF_OpenApplication', SAR.APPLICATION_NOT_EXISTS)
    return this.child(h, 'app')
  }

  async closeApplication(): Promise<void> {}

  async getPinInfo(app: SkfHandle): Promise<PinInfo> {
    const d = this.handle(app, 'app', 'SKF_GetPINInfo').device
    return { max: d.key.maxRetries, remaining: d.remaining, defaultPin: false }
  }

  async verifyPin(app: SkfHandle, _pinType: number, pin: string): Promise<void> {
    const d = this.handle(app, 'app', 'SKF_VerifyPIN').device
    if (d.remaining === 0) throw new SkfError('SKF_VerifyPIN', SAR.PIN_LOCKED, 0)
    if (pin !== d.key.pin) {
      d.remaining--
      d.loggedIn = false
      throw new SkfError('SKF_VerifyPIN', SAR.PIN_INCORRECT, d.remaining)
    }
    d.remaining = d.key.maxRetries
    d.loggedIn = true
  }

  async clearSecureState(app: SkfHandle): Promise<void> {
    const h = app as Handle
    if (h?.device) h.device.loggedIn = false
  }

  async enumContainer(app: SkfHandle): Promise<SkfName[]> {
    return [name(this.handle(app, 'app', 'SKF_EnumContainer').device.key.container)]
  }

  async openContainer(app: SkfHandle, container: SkfName): Promise<SkfHandle> {
    const h = this.handle(app, 'app', 'SKF_OpenContainer')
    if (container.text !== h.device.key.container)
      throw new SkfError('SKF_OpenContainer', SAR.INVALIDPARAMERR)
    return this.child(h, 'con')
  }

  async closeContainer(): Promise<void> {}

  async getContainerType(container: SkfHandle): Promise<number> {
    this.handle(container, 'con', 'SKF_GetContainerType')
    return 2
  }

  async exportCertificate(container: SkfHandle, sign: boolean): Promise<Uint8Array> {
    const d = this.handle(container, 'con', 'SKF_ExportCertificate').device
    if (!sign) throw new SkfError('SKF_ExportCertificate', SAR.CERTNOTFOUNTERR)
    return d.key.certificate.slice()
  }

  async eccSignData(container: SkfHandle, digest: Uint8Array): Promise<Uint8Array> {
    const h = this.handle(container, 'con', 'SKF_ECCSignData')
    if (!h.device.loggedIn) throw new SkfError('SKF_ECCSignData', SAR.USER_NOT_LOGGED_IN)
    if (digest.length !== 32) throw new SkfError('SKF_ECCSignData', SAR.INVALIDPARAMERR)
    if (this.signDelayMs > 0) await new Promise((r) => setTimeout(r, this.signDelayMs))
    this.handle(container, 'con', 'SKF_ECCSignData') // still there?
    return encodeEccSignatureBlob(sm2SignDigest(digest, h.device.key.privateKey))
  }

  async rsaSignData(): Promise<Uint8Array> {
    throw new SkfError('SKF_RSASignData', SAR.NOTSUPPORTYETERR)
  }

  async digestInit(
    dev: SkfHandle,
    _algorithm: number,
    publicKeyBlob: Uint8Array | null,
    id: Uint8Array | null,
  ): Promise<SkfHandle> {
    const h = this.handle(dev, 'dev', 'SKF_DigestInit')
    const point = publicKeyBlob ? parseEccPublicKeyBlob(publicKeyBlob) : null
    if (point === undefined) throw new SkfError('SKF_DigestInit', SAR.INVALIDPARAMERR)
    return this.child(h, 'hash', {
      hash: { publicKey: point, id: id ? new TextDecoder().decode(id) : '' },
    })
  }

  async digest(hash: SkfHandle, data: Uint8Array): Promise<Uint8Array> {
    const h = this.handle(hash, 'hash', 'SKF_Digest')
    if (!h.hash?.publicKey) throw new SkfError('SKF_Digest', SAR.NOTSUPPORTYETERR)
    return sm2MessageDigest(data, h.hash.publicKey, h.hash.id)
  }

  async closeHandle(): Promise<void> {}

  waitForDevEvent(): Promise<DevEvent> {
    const ready = this.pending.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }))
  }

  async cancelWaitForDevEvent(): Promise<void> {
    for (const w of this.waiters.splice(0)) w.reject(new SkfError('SKF_WaitForDevEvent', SAR.FAIL))
  }

  unload(): void {
    void this.cancelWaitForDevEvent()
  }
}
