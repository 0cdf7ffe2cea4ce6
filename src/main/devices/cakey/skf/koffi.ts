/**
 * A vendor's SKF library (GM/T 0016 DLL/so) through koffi. Types follow the standard's base
 * types (ULONG and BOOL are 32-bit everywhere); 32-bit Windows DLLs use __stdcall. Every call but
 * the blocking SKF_WaitForDevEvent goes through one queue and runs on a worker thread, so a slow
 * token never freezes the window.
 */
import koffi from 'koffi'
import { CounterError } from '../../../../shared/errors'
import { SerialQueue } from '../queue'
import { SkfError, type DevEvent, type PinInfo, type SkfApi, type SkfHandle } from './api'
import { cString, DEVINFO_SIZE, parseDevInfo, parseNameList, type SkfName } from './blobs'
import { ECC_SIGNATURE_BLOB_SIZE, SAR } from './constants'

export interface KoffiSkfOptions {
  /** The DLL/so path. */
  readonly library: string
  /** Whether the vendor header packs DEVINFO (`#pragma pack(1)`, the usual case). */
  readonly packedStructs?: boolean
  /** Force the calling convention; by default stdcall on 32-bit Windows, cdecl elsewhere. */
  readonly stdcall?: boolean
}

type Fn = ((...args: unknown[]) => unknown) & {
  async: (...args: unknown[]) => void
}

/** `(name, result, params)` for every function the app calls. */
const SIGNATURES: Readonly<Record<string, readonly string[]>> = {
  SKF_WaitForDevEvent: ['uint8_t *', '_Inout_ uint32_t *', '_Out_ uint32_t *'],
  SKF_CancelWaitForDevEvent: [],
  SKF_EnumDev: ['int32_t', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_ConnectDev: ['uint8_t *', '_Out_ void **'],
  SKF_DisConnectDev: ['void *'],
  SKF_GetDevInfo: ['void *', 'uint8_t *'],
  SKF_EnumApplication: ['void *', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_OpenApplication: ['void *', 'uint8_t *', '_Out_ void **'],
  SKF_CloseApplication: ['void *'],
  SKF_GetPINInfo: ['void *', 'uint32_t', '_Out_ uint32_t *', '_Out_ uint32_t *', '_Out_ int32_t *'],
  SKF_VerifyPIN: ['void *', 'uint32_t', 'uint8_t *', '_Out_ uint32_t *'],
  SKF_ClearSecureState: ['void *'],
  SKF_EnumContainer: ['void *', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_OpenContainer: ['void *', 'uint8_t *', '_Out_ void **'],
  SKF_CloseContainer: ['void *'],
  SKF_GetContainerType: ['void *', '_Out_ uint32_t *'],
  SKF_ExportCertificate: ['void *', 'int32_t', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_ECCSignData: ['void *', 'uint8_t *', 'uint32_t', 'uint8_t *'],
  SKF_RSASignData: ['void *', 'uint8_t *', 'uint32_t', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_DigestInit: ['void *', 'uint32_t', 'uint8_t *', 'uint8_t *', 'uint32_t', '_Out_ void **'],
  SKF_Digest: ['void *', 'uint8_t *', 'uint32_t', 'uint8_t *', '_Inout_ uint32_t *'],
  SKF_CloseHandle: ['void *'],
}

/** Functions without which the library is no use to us; the rest may be missing. */
const REQUIRED = [
  'SKF_EnumDev',
  'SKF_ConnectDev',
  'SKF_DisConnectDev',
  'SKF_EnumApplication',
  'SKF_OpenApplication',
  'SKF_VerifyPIN',
  'SKF_EnumContainer',
  'SKF_OpenContainer',
  'SKF_ExportCertificate',
  'SKF_ECCSignData',
]

const MAX_BUFFER = 1024 * 1024

/** `_Out_ T` / `_Inout_ T` in the table above → koffi's direction markers. */
function paramType(spec: string) {
  if (spec.startsWith('_Out_ ')) return koffi.out(spec.slice(6))
  if (spec.startsWith('_Inout_ ')) return koffi.inout(spec.slice(8))
  return spec
}

export function loadSkfLibrary(options: KoffiSkfOptions): SkfApi {
  let lib: ReturnType<typeof koffi.load>
  try {
    lib = koffi.load(options.library)
  } catch (cause) {
    throw new CounterError('CAKEY_LIBRARY_LOAD_FAILED', {
      params: { library: options.library },
      detail: String(cause),
      cause,
    })
  }
  const stdcall = options.stdcall ?? (process.platform === 'win32' && process.arch === 'ia32')
  const fns = new Map<string, Fn>()
  for (const [name, params] of Object.entries(SIGNATURES)) {
    const candidates = stdcall ? [name, `_${name}@${params.length * 4}`] : [name]
    for (const symbol of candidates) {
      try {
        const types = params.map(paramType)
        const fn = stdcall
          ? lib.func('__stdcall', symbol, 'uint32_t', types)
          : lib.func(symbol, 'uint32_t', types)
        fns.set(name, fn as unknown as Fn)
        break
      } catch {
        // not exported under this name
      }
    }
  }
  const missing = REQUIRED.filter((n) => !fns.has(n))
  if (missing.length) {
    lib.unload()
    throw new CounterError('CAKEY_LIBRARY_LOAD_FAILED', {
      params: { library: options.library },
      detail: `missing ${missing.join(', ')}`,
    })
  }

  const queue = new SerialQueue()
  // After unload nothing may call into the library: a poll still in flight would jump into freed code.
  let closed = false
  /**
   * Calls running on a worker thread outside the queue (the cancel of a wait): unloading waits for
   * them too. The wait itself is not counted — its owner cancels it and waits before unloading.
   */
  const unqueued = new Set<Promise<unknown>>()
  const call = (name: string, ...args: unknown[]): Promise<number> => {
    if (closed) return Promise.resolve(SAR.NOTINITIALIZEERR)
    const fn = fns.get(name)
    if (!fn) return Promise.resolve(SAR.NOTSUPPORTYETERR)
    return new Promise<number>((resolve, reject) =>
      fn.async(...args, (err: unknown, rv: number) => (err ? reject(err) : resolve(rv))),
    )
  }
  const tracked = (name: string, ...args: unknown[]): Promise<number> => {
    const running = call(name, ...args)
    const settled = running.catch(() => undefined)
    unqueued.add(settled)
    void settled.then(() => unqueued.delete(settled))
    return running
  }
  const queued = (name: string, ...args: unknown[]) => queue.run(() => call(name, ...args))
  const check = (name: string, rv: number) => {
    if (rv !== SAR.OK) throw new SkfError(name, rv)
  }

  /** The usual two-step read: ask for the size, then fill a buffer (growing it if told to). */
  const readVariable = async (name: string, ...head: unknown[]): Promise<Uint8Array> =>
    queue.run(async () => {
      const size = [0]
      let rv = await call(name, ...head, null, size)
      check(name, rv)
      for (let attempt = 0; attempt < 3; attempt++) {
        const want = Math.min(Math.max(size[0]!, 1), MAX_BUFFER)
        const buf = Buffer.alloc(want)
        size[0] = want
        rv = await call(name, ...head, buf, size)
        if (rv === SAR.BUFFER_TOO_SMALL && size[0]! > want && size[0]! <= MAX_BUFFER) continue
        check(name, rv)
        return new Uint8Array(buf.subarray(0, Math.min(size[0]!, want)))
      }
      throw new SkfError(name, SAR.BUFFER_TOO_SMALL)
    })

  const names = async (name: string, ...head: unknown[]): Promise<SkfName[]> =>
    parseNameList(await readVariable(name, ...head))

  const handleOut = async (name: string, ...args: unknown[]): Promise<SkfHandle> => {
    const out: unknown[] = [null]
    check(name, await queued(name, ...args, out))
    return out[0]
  }

  const devInfoSize = options.packedStructs === false ? DEVINFO_SIZE.natural : DEVINFO_SIZE.packed

  return {
    enumDev: (present) => names('SKF_EnumDev', present ? 1 : 0),
    connectDev: (name) => handleOut('SKF_ConnectDev', cString(name)),
    async disconnectDev(dev) {
      await queued('SKF_DisConnectDev', dev)
    },
    async getDevInfo(dev) {
      // Some libraries write past the documented size; leave room.
      const buf = Buffer.alloc(devInfoSize + 256)
      check('SKF_GetDevInfo', await queued('SKF_GetDevInfo', dev, buf))
      return parseDevInfo(buf.subarray(0, devInfoSize), options.packedStructs !== false)
    },
    enumApplication: (dev) => names('SKF_EnumApplication', dev),
    openApplication: (dev, name) => handleOut('SKF_OpenApplication', dev, cString(name)),
    async closeApplication(app) {
      await queued('SKF_CloseApplication', app)
    },
    async getPinInfo(app, pinType): Promise<PinInfo> {
      const max = [0]
      const remaining = [0]
      const isDefault = [0]
      check(
        'SKF_GetPINInfo',
        await queued('SKF_GetPINInfo', app, pinType, max, remaining, isDefault),
      )
      return { max: max[0]!, remaining: remaining[0]!, defaultPin: isDefault[0] !== 0 }
    },
    async verifyPin(app, pinType, pin) {
      const retry = [0]
      // The PIN is copied into a buffer that is wiped as soon as the call returns.
      const buf = cString(pin)
      try {
        const rv = await queued('SKF_VerifyPIN', app, pinType, buf, retry)
        if (rv !== SAR.OK) throw new SkfError('SKF_VerifyPIN', rv, retry[0])
      } finally {
        buf.fill(0)
      }
    },
    async clearSecureState(app) {
      await queued('SKF_ClearSecureState', app)
    },
    enumContainer: (app) => names('SKF_EnumContainer', app),
    openContainer: (app, name) => handleOut('SKF_OpenContainer', app, cString(name)),
    async closeContainer(container) {
      await queued('SKF_CloseContainer', container)
    },
    async getContainerType(container) {
      const type = [0]
      check('SKF_GetContainerType', await queued('SKF_GetContainerType', container, type))
      return type[0]!
    },
    exportCertificate: (container, sign) =>
      readVariable('SKF_ExportCertificate', container, sign ? 1 : 0),
    async eccSignData(container, digest) {
      const blob = Buffer.alloc(ECC_SIGNATURE_BLOB_SIZE)
      const rv = await queued(
        'SKF_ECCSignData',
        container,
        Buffer.from(digest),
        digest.length,
        blob,
      )
      check('SKF_ECCSignData', rv)
      return new Uint8Array(blob)
    },
    rsaSignData: (container, data) =>
      readVariable('SKF_RSASignData', container, Buffer.from(data), data.length),
    digestInit: (dev, algorithm, publicKeyBlob, id) =>
      handleOut(
        'SKF_DigestInit',
        dev,
        algorithm,
        publicKeyBlob ? Buffer.from(publicKeyBlob) : null,
        id ? Buffer.from(id) : null,
        id?.length ?? 0,
      ),
    digest: (hash, data) => readVariable('SKF_Digest', hash, Buffer.from(data), data.length),
    async closeHandle(handle) {
      await queued('SKF_CloseHandle', handle)
    },
    async waitForDevEvent(): Promise<DevEvent> {
      // Not queued: it blocks its own worker thread until something happens.
      const name = Buffer.alloc(512)
      const len = [name.length]
      const event = [0]
      const rv = await call('SKF_WaitForDevEvent', name, len, event)
      if (rv !== SAR.OK) throw new SkfError('SKF_WaitForDevEvent', rv)
      const bytes = name.subarray(0, Math.min(len[0]!, name.length))
      const end = bytes.indexOf(0)
      const [parsed] = parseNameList(
        Buffer.concat([end >= 0 ? bytes.subarray(0, end) : bytes, Buffer.of(0, 0)]),
      )
      return { name: parsed ?? { text: '', bytes: new Uint8Array() }, event: event[0]! }
    },
    async cancelWaitForDevEvent() {
      await tracked('SKF_CancelWaitForDevEvent')
    },
    unload() {
      if (closed) return
      closed = true
      // After whatever is already queued or in flight beside the queue; later calls see `closed`
      // and never reach the library.
      void queue.run(async () => {
        await Promise.all([...unqueued])
        lib.unload()
      })
    },
  }
}
