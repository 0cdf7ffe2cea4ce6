/**
 * PC/SC through koffi: winscard.dll, libpcsclite.so.1 or PCSC.framework, declared per platform
 * (their integer widths differ) and called asynchronously, so a slow card never blocks the main
 * process and an in-process card simulator can answer while we wait. Loaded lazily: a machine
 * without PC/SC only loses the contactless reader.
 */
import koffi from 'koffi'

export type Handle = number | bigint

export interface ReaderStateIn {
  szReader: string
  pvUserData: null
  dwCurrentState: number
  dwEventState: number
  cbAtr: number
  rgbAtr: number[]
}

type Callback<T> = (error: unknown, result: T) => void
interface AsyncFn<A extends unknown[]> {
  (...args: A): number
  async(...args: [...A, Callback<number>]): void
}

export interface PcscLibrary {
  readonly maxAtr: number
  readonly protocolT0: number
  readonly protocolT1: number
  establishContext: AsyncFn<[number, null, null, Handle[]]>
  releaseContext: AsyncFn<[Handle]>
  listReaders: AsyncFn<[Handle, null, Uint8Array | null, number[]]>
  getStatusChange: AsyncFn<[Handle, number, ReaderStateIn[], number]>
  cancel: AsyncFn<[Handle]>
  connect: AsyncFn<[Handle, string, number, number, Handle[], number[]]>
  reconnect: AsyncFn<[Handle, number, number, number, number[]]>
  disconnect: AsyncFn<[Handle, number]>
  transmit: AsyncFn<
    [
      Handle,
      { dwProtocol: number; cbPciLength: number },
      Uint8Array,
      number,
      null,
      Uint8Array,
      number[],
    ]
  >
  status: AsyncFn<[Handle, Uint8Array | null, number[], number[], number[], Uint8Array, number[]]>
  readonly pciLength: number
}

let loaded: PcscLibrary | undefined
let loadError: unknown

/** The platform's PC/SC library, or throws the loader's error (missing library). */
export function pcscLibrary(): PcscLibrary {
  if (loaded) return loaded
  if (loadError) throw loadError
  try {
    loaded = load()
    return loaded
  } catch (error) {
    loadError = error
    throw error
  }
}

function load(): PcscLibrary {
  const win = process.platform === 'win32'
  const mac = process.platform === 'darwin'
  const path = win
    ? 'winscard.dll'
    : mac
      ? '/System/Library/Frameworks/PCSC.framework/PCSC'
      : 'libpcsclite.so.1'
  const lib = koffi.load(path)
  // pcsc-lite on Linux uses C long for LONG and DWORD; Windows and macOS use 32-bit integers.
  const LONG = win || mac ? 'int32_t' : 'long'
  const DWORD = win || mac ? 'uint32_t' : 'unsigned long'
  const CTX = win ? 'uintptr_t' : mac ? 'int32_t' : 'long'
  const A = win ? 'A' : ''
  const maxAtr = win ? 36 : 33
  // Unique names: koffi's type registry is per process and test workers may load this twice.
  const id = `${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  koffi.struct(`SCARD_READERSTATE_${id}`, {
    szReader: 'const char *',
    pvUserData: 'void *',
    dwCurrentState: DWORD,
    dwEventState: DWORD,
    cbAtr: DWORD,
    rgbAtr: koffi.array('uint8_t', maxAtr, 'Array'),
  })
  const io = koffi.struct(`SCARD_IO_REQUEST_${id}`, { dwProtocol: DWORD, cbPciLength: DWORD })
  const S = `SCARD_READERSTATE_${id}`
  const IO = `SCARD_IO_REQUEST_${id}`
  const fn = <Args extends unknown[]>(decl: string) => lib.func(decl) as unknown as AsyncFn<Args>
  const cc = win ? '__stdcall ' : ''
  return {
    maxAtr,
    protocolT0: 1,
    protocolT1: 2,
    pciLength: koffi.sizeof(io),
    establishContext: fn(
      `${LONG} ${cc}SCardEstablishContext(${DWORD}, void *, void *, _Out_ ${CTX} *)`,
    ),
    releaseContext: fn(`${LONG} ${cc}SCardReleaseContext(${CTX})`),
    listReaders: fn(
      `${LONG} ${cc}SCardListReaders${A}(${CTX}, const char *, _Out_ uint8_t *, _Inout_ ${DWORD} *)`,
    ),
    getStatusChange: fn(
      `${LONG} ${cc}SCardGetStatusChange${A}(${CTX}, ${DWORD}, _Inout_ ${S} *, ${DWORD})`,
    ),
    cancel: fn(`${LONG} ${cc}SCardCancel(${CTX})`),
    connect: fn(
      `${LONG} ${cc}SCardConnect${A}(${CTX}, const char *, ${DWORD}, ${DWORD}, _Out_ ${CTX} *, _Out_ ${DWORD} *)`,
    ),
    reconnect: fn(
      `${LONG} ${cc}SCardReconnect(${CTX}, ${DWORD}, ${DWORD}, ${DWORD}, _Out_ ${DWORD} *)`,
    ),
    disconnect: fn(`${LONG} ${cc}SCardDisconnect(${CTX}, ${DWORD})`),
    transmit: fn(
      `${LONG} ${cc}SCardTransmit(${CTX}, const ${IO} *, const uint8_t *, ${DWORD}, void *, _Out_ uint8_t *, _Inout_ ${DWORD} *)`,
    ),
    status: fn(
      `${LONG} ${cc}SCardStatus${A}(${CTX}, _Out_ uint8_t *, _Inout_ ${DWORD} *, _Out_ ${DWORD} *, _Out_ ${DWORD} *, _Out_ uint8_t *, _Inout_ ${DWORD} *)`,
    ),
  }
}

export function call<A extends unknown[]>(f: AsyncFn<A>, ...args: A): Promise<number> {
  return new Promise((resolve, reject) => {
    f.async(...args, (error: unknown, result: number) =>
      error ? reject(error) : resolve(Number(result) >>> 0),
    )
  })
}
