/**
 * The SKF calls the app makes, as an interface: the koffi binding to a vendor's DLL/so implements
 * it, and so does the training simulator, so both run under the same provider code. A non-zero
 * return value becomes an SkfError carrying the code (and, for SKF_VerifyPIN, the retry count).
 */
import type { DevInfo, SkfName } from './blobs'
import { sarName } from './constants'

export class SkfError extends Error {
  constructor(
    readonly call: string,
    readonly rv: number,
    /** SKF_VerifyPIN's pulRetryCount on failure. */
    readonly retryCount?: number,
  ) {
    super(`${call} failed: ${sarName(rv)}`)
    this.name = 'SkfError'
  }
}

/** An opaque handle (DEVHANDLE, HAPPLICATION, HCONTAINER, HANDLE). */
export type SkfHandle = unknown

export interface PinInfo {
  readonly max: number
  readonly remaining: number
  readonly defaultPin: boolean
}

export interface DevEvent {
  readonly name: SkfName
  /** 1 inserted, 2 removed. */
  readonly event: number
}

export interface SkfApi {
  enumDev(present: boolean): Promise<SkfName[]>
  connectDev(name: SkfName): Promise<SkfHandle>
  disconnectDev(dev: SkfHandle): Promise<void>
  getDevInfo(dev: SkfHandle): Promise<DevInfo>
  enumApplication(dev: SkfHandle): Promise<SkfName[]>
  openApplication(dev: SkfHandle, name: SkfName): Promise<SkfHandle>
  closeApplication(app: SkfHandle): Promise<void>
  getPinInfo(app: SkfHandle, pinType: number): Promise<PinInfo>
  /** Resolves on success; SkfError with `retryCount` otherwise. */
  verifyPin(app: SkfHandle, pinType: number, pin: string): Promise<void>
  clearSecureState(app: SkfHandle): Promise<void>
  enumContainer(app: SkfHandle): Promise<SkfName[]>
  openContainer(app: SkfHandle, name: SkfName): Promise<SkfHandle>
  closeContainer(container: SkfHandle): Promise<void>
  getContainerType(container: SkfHandle): Promise<number>
  /** The signing (true) or encryption (false) certificate, DER. */
  exportCertificate(container: SkfHandle, sign: boolean): Promise<Uint8Array>
  /** Signs a ready digest; returns the ECCSIGNATUREBLOB bytes. */
  eccSignData(container: SkfHandle, digest: Uint8Array): Promise<Uint8Array>
  rsaSignData(container: SkfHandle, data: Uint8Array): Promise<Uint8Array>
  /** SKF_DigestInit; for SM3 with a public key and ID, the digest is e = SM3(Z‖M). */
  digestInit(
    dev: SkfHandle,
    algorithm: number,
    publicKeyBlob: Uint8Array | null,
    id: Uint8Array | null,
  ): Promise<SkfHandle>
  digest(hash: SkfHandle, data: Uint8Array): Promise<Uint8Array>
  closeHandle(handle: SkfHandle): Promise<void>
  /** Blocks until a key is inserted or removed; SkfError(NOTSUPPORTYETERR) when unsupported. */
  waitForDevEvent(): Promise<DevEvent>
  cancelWaitForDevEvent(): Promise<void>
  /** Unloads the library. */
  unload(): void
}
