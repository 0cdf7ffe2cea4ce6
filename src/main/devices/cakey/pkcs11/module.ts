/**
 * A PKCS#11 module through koffi: C_GetFunctionList, then the handful of calls sign-in needs.
 * CK_ULONG is the platform's `unsigned long` (64-bit on Linux, 32-bit on Windows) and Windows
 * modules pack their structures to one byte, as the Cryptoki headers require. Calls go one at a
 * time through a queue and run on worker threads.
 */
import koffi from 'koffi'
import { CounterError } from '../../../../shared/errors'
import { SerialQueue } from '../queue'
import { CKF, CKR, ckrName, CKU_USER, FUNCTION_LIST } from './constants'

export class Pkcs11Error extends Error {
  constructor(
    readonly call: string,
    readonly rv: number,
  ) {
    super(`${call} failed: ${ckrName(rv)}`)
    this.name = 'Pkcs11Error'
  }
}

export interface TokenInfoRecord {
  readonly label: string
  readonly manufacturer: string
  readonly model: string
  readonly serial: string
  readonly flags: number
}

export interface Attribute {
  readonly type: number
  readonly value: Uint8Array
}

export interface Pkcs11Module {
  slots(tokenPresent: boolean): Promise<number[]>
  tokenInfo(slot: number): Promise<TokenInfoRecord>
  openSession(slot: number): Promise<number>
  closeSession(session: number): Promise<void>
  /** The raw return value: the caller decides what a wrong PIN means. */
  login(session: number, pin: string): Promise<number>
  logout(session: number): Promise<number>
  findObjects(session: number, template: readonly Attribute[]): Promise<number[]>
  /** Values by type; undefined where the token has none or will not say. */
  attributes(
    session: number,
    object: number,
    types: readonly number[],
  ): Promise<Map<number, Uint8Array | undefined>>
  sign(session: number, mechanism: number, key: number, data: Uint8Array): Promise<Uint8Array>
  finalize(): Promise<void>
}

const ULONG_SIZE = koffi.sizeof('unsigned long')
const PACKED = process.platform === 'win32'

/** A CK_ULONG attribute value in the platform's width. */
export function ulongBytes(value: number): Uint8Array {
  const b = Buffer.alloc(ULONG_SIZE)
  if (ULONG_SIZE === 8) b.writeBigUInt64LE(BigInt(value))
  else b.writeUInt32LE(value)
  return b
}

export function readUlong(bytes: Uint8Array | undefined): number | undefined {
  if (!bytes || bytes.length < ULONG_SIZE) return undefined
  const b = Buffer.from(bytes)
  return ULONG_SIZE === 8 ? Number(b.readBigUInt64LE()) : b.readUInt32LE()
}

let types: ReturnType<typeof defineTypes> | undefined

function defineTypes() {
  const struct = PACKED ? koffi.pack : koffi.struct
  const ULONG = 'unsigned long'
  const attribute = struct({ type: ULONG, pValue: 'void *', ulValueLen: ULONG })
  const mechanism = struct({ mechanism: ULONG, pParameter: 'void *', ulParameterLen: ULONG })
  const version = struct({ major: 'uint8_t', minor: 'uint8_t' })
  const tokenInfo = struct({
    label: koffi.array('uint8_t', 32),
    manufacturerID: koffi.array('uint8_t', 32),
    model: koffi.array('uint8_t', 16),
    serialNumber: koffi.array('uint8_t', 16),
    flags: ULONG,
    ulMaxSessionCount: ULONG,
    ulSessionCount: ULONG,
    ulMaxRwSessionCount: ULONG,
    ulRwSessionCount: ULONG,
    ulMaxPinLen: ULONG,
    ulMinPinLen: ULONG,
    ulTotalPublicMemory: ULONG,
    ulFreePublicMemory: ULONG,
    ulTotalPrivateMemory: ULONG,
    ulFreePrivateMemory: ULONG,
    hardwareVersion: version,
    firmwareVersion: version,
    utcTime: koffi.array('uint8_t', 16),
  })
  const initArgs = struct({
    CreateMutex: 'void *',
    DestroyMutex: 'void *',
    LockMutex: 'void *',
    UnlockMutex: 'void *',
    flags: ULONG,
    pReserved: 'void *',
  })
  const U = ULONG
  const p = (args: unknown[]) => koffi.proto(U, args as never[])
  return {
    attribute,
    tokenInfo,
    protos: {
      C_Initialize: p([koffi.pointer(initArgs)]),
      C_Finalize: p(['void *']),
      C_GetSlotList: p(['uint8_t', koffi.out(koffi.pointer(U)), koffi.inout(koffi.pointer(U))]),
      C_GetTokenInfo: p([U, koffi.out(koffi.pointer(tokenInfo))]),
      C_OpenSession: p([U, U, 'void *', 'void *', koffi.out(koffi.pointer(U))]),
      C_CloseSession: p([U]),
      C_Login: p([U, U, 'uint8_t *', U]),
      C_Logout: p([U]),
      C_GetAttributeValue: p([U, U, koffi.inout(koffi.pointer(attribute)), U]),
      C_FindObjectsInit: p([U, koffi.pointer(attribute), U]),
      C_FindObjects: p([U, koffi.out(koffi.pointer(U)), U, koffi.out(koffi.pointer(U))]),
      C_FindObjectsFinal: p([U]),
      C_SignInit: p([U, koffi.pointer(mechanism), U]),
      C_Sign: p([U, 'uint8_t *', U, 'uint8_t *', koffi.inout(koffi.pointer(U))]),
    },
  }
}

const text = (bytes: number[] | Uint8Array) =>
  Buffer.from(bytes as Uint8Array)
    .toString('utf8')
    .replace(/\0.*$/s, '')
    .trim()

type AsyncFn = { async: (...args: unknown[]) => void }

export function loadPkcs11Module(path: string): Pkcs11Module {
  types ??= defineTypes()
  const t = types
  let lib: ReturnType<typeof koffi.load>
  const fns = new Map<string, AsyncFn>()
  try {
    lib = koffi.load(path)
    const getList = lib.func('C_GetFunctionList', 'unsigned long', [
      koffi.out(koffi.pointer('void *')),
    ])
    const out: unknown[] = [null]
    const rv = getList(out) as number
    if (rv !== CKR.OK || !out[0]) throw new Error(`C_GetFunctionList: ${ckrName(rv)}`)
    const ptrSize = koffi.sizeof('void *')
    // CK_VERSION (2 bytes) comes first; natural alignment pads it to a pointer, packing does not.
    const base = PACKED ? 2 : ptrSize
    for (const [name, proto] of Object.entries(t.protos)) {
      const index = FUNCTION_LIST.indexOf(name as (typeof FUNCTION_LIST)[number])
      const ptr = koffi.decode(out[0], base + index * ptrSize, 'void *')
      if (ptr) fns.set(name, koffi.decode(ptr, proto) as AsyncFn)
    }
  } catch (cause) {
    throw new CounterError('CAKEY_LIBRARY_LOAD_FAILED', {
      params: { library: path },
      detail: String(cause),
      cause,
    })
  }

  const queue = new SerialQueue()
  // Once finalising, nothing may call into the module again: it is about to be unloaded, and a
  // poll still in flight would jump into freed code.
  let closed = false
  const raw = (name: string, ...args: unknown[]): Promise<number> =>
    queue.run(() => {
      if (closed && name !== 'C_Finalize') return Promise.resolve(CKR.CRYPTOKI_NOT_INITIALIZED)
      const fn = fns.get(name)
      if (!fn) return Promise.resolve(CKR.FUNCTION_NOT_SUPPORTED)
      return new Promise<number>((resolve, reject) =>
        fn.async(...args, (err: unknown, rv: number) => (err ? reject(err) : resolve(rv))),
      )
    })
  const call = async (name: string, ...args: unknown[]) => {
    const rv = await raw(name, ...args)
    if (rv !== CKR.OK) throw new Pkcs11Error(name, rv)
  }

  let initialized = false
  const ready = (async () => {
    const rv = await raw('C_Initialize', {
      CreateMutex: null,
      DestroyMutex: null,
      LockMutex: null,
      UnlockMutex: null,
      flags: CKF.OS_LOCKING_OK,
      pReserved: null,
    })
    // Someone else in this process initialised it: share, and leave finalising to them.
    if (rv === CKR.OK) initialized = true
    else if (rv !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw new Pkcs11Error('C_Initialize', rv)
  })()
  // Awaited by every call; this only keeps an early failure from being reported as unhandled.
  ready.catch(() => undefined)

  const template = (attrs: readonly Attribute[]) =>
    attrs.map((a) => ({ type: a.type, pValue: Buffer.from(a.value), ulValueLen: a.value.length }))

  return {
    async slots(tokenPresent) {
      await ready
      for (let attempt = 0; attempt < 3; attempt++) {
        const count = [0]
        await call('C_GetSlotList', tokenPresent ? 1 : 0, null, count)
        const list = new Array<number>(count[0]!).fill(0)
        const rv = await raw('C_GetSlotList', tokenPresent ? 1 : 0, list, count)
        if (rv === CKR.BUFFER_TOO_SMALL) continue // a token arrived in between
        if (rv !== CKR.OK) throw new Pkcs11Error('C_GetSlotList', rv)
        return list.slice(0, count[0]!)
      }
      throw new Pkcs11Error('C_GetSlotList', CKR.BUFFER_TOO_SMALL)
    },
    async tokenInfo(slot) {
      await ready
      const info: Record<string, unknown> = {}
      await call('C_GetTokenInfo', slot, info)
      return {
        label: text(info.label as number[]),
        manufacturer: text(info.manufacturerID as number[]),
        model: text(info.model as number[]),
        serial: text(info.serialNumber as number[]),
        flags: Number(info.flags),
      }
    },
    async openSession(slot) {
      await ready
      const out = [0]
      await call('C_OpenSession', slot, CKF.SERIAL_SESSION, null, null, out)
      return out[0]!
    },
    async closeSession(session) {
      await raw('C_CloseSession', session)
    },
    async login(session, pin) {
      const buf = Buffer.from(pin, 'utf8')
      try {
        return await raw('C_Login', session, CKU_USER, buf, buf.length)
      } finally {
        buf.fill(0)
      }
    },
    logout: (session) => raw('C_Logout', session),
    async findObjects(session, attrs) {
      await call('C_FindObjectsInit', session, template(attrs), attrs.length)
      const found: number[] = []
      try {
        for (;;) {
          const batch = new Array<number>(32).fill(0)
          const count = [0]
          await call('C_FindObjects', session, batch, batch.length, count)
          found.push(...batch.slice(0, count[0]!))
          if (count[0]! < batch.length || found.length > 1024) break
        }
      } finally {
        await raw('C_FindObjectsFinal', session)
      }
      return found
    },
    async attributes(session, object, wanted) {
      const result = new Map<number, Uint8Array | undefined>()
      for (const type of wanted) {
        // One at a time: a token that will not reveal one attribute still gives the others.
        const probe = [{ type, pValue: null, ulValueLen: 0 }]
        const rv = await raw('C_GetAttributeValue', session, object, probe, 1)
        const len = Number(probe[0]!.ulValueLen)
        if (rv !== CKR.OK || len <= 0 || len > 1024 * 1024) {
          result.set(type, undefined)
          continue
        }
        const buf = Buffer.alloc(len)
        const fill = [{ type, pValue: buf, ulValueLen: len }]
        await call('C_GetAttributeValue', session, object, fill, 1)
        result.set(type, new Uint8Array(buf.subarray(0, Number(fill[0]!.ulValueLen))))
      }
      return result
    },
    async sign(session, mechanism, key, data) {
      await call('C_SignInit', session, { mechanism, pParameter: null, ulParameterLen: 0 }, key)
      const size = [0]
      await call('C_Sign', session, Buffer.from(data), data.length, null, size)
      const out = Buffer.alloc(Math.max(size[0]!, 1))
      await call('C_Sign', session, Buffer.from(data), data.length, out, size)
      return new Uint8Array(out.subarray(0, size[0]!))
    },
    async finalize() {
      if (closed) return
      await ready.catch(() => undefined)
      closed = true
      if (initialized) await raw('C_Finalize', null)
      // Queued after everything already in flight, so nothing runs inside the module any more.
      await queue.run(async () => lib.unload())
    },
  }
}
