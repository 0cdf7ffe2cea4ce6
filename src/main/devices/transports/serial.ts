/**
 * A serial port (USB-CDC, RS-232, or a pseudo-terminal in tests) as a ByteStream, through
 * `serialport`. 8N1; the line speed can be changed while open for baud negotiation. The native
 * module is loaded on first use, so a machine without a serial reader never depends on it.
 */
import { existsSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { SerialPort } from 'serialport'
import { CounterError } from '../../../shared/errors'
import { Listeners, type ByteStream } from './byte-stream'

export interface SerialStream extends ByteStream {
  readonly path: string
  readonly baudRate: number
  setBaudRate(baudRate: number): Promise<void>
  /** Drops whatever the OS holds in either direction. */
  discard(): Promise<void>
}

function openError(path: string, error: Error): CounterError {
  const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`
  const params = { port: path }
  if (/ENOENT|No such file/i.test(text))
    return new CounterError('IDCARD_PORT_NOT_FOUND', { params, cause: error })
  if (/EBUSY|lock|Access denied|busy/i.test(text))
    return new CounterError('IDCARD_PORT_BUSY', { params, cause: error, detail: error.message })
  return new CounterError('IDCARD_PORT_OPEN_FAILED', {
    params,
    cause: error,
    detail: error.message,
  })
}

const loadSerialPort = async () => (await import('serialport')).SerialPort

export async function openSerialStream(path: string, baudRate: number): Promise<SerialStream> {
  const SerialPortClass = await loadSerialPort()
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p: SerialPort = new SerialPortClass(
      { path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false },
      (error) => (error ? reject(openError(path, error)) : resolve(p)),
    )
  })
  const data = new Listeners<[Uint8Array]>()
  const closed = new Listeners<[Error?]>()
  let open = true
  let speed = baudRate
  port.on('data', (chunk: Buffer) => data.emit(new Uint8Array(chunk)))
  // Without a listener an 'error' event would throw; a failing port shows up as 'close' too.
  port.on('error', () => undefined)
  port.on('close', (error?: Error) => {
    if (!open) return
    open = false
    closed.emit(error)
    data.clear()
    closed.clear()
  })

  return {
    path,
    get baudRate() {
      return speed
    },
    write(bytes) {
      return new Promise<void>((resolve, reject) => {
        if (!open) return reject(new CounterError('IDCARD_DISCONNECTED'))
        port.write(Buffer.from(bytes), (error) => {
          if (error) return reject(error)
          port.drain((e) => (e ? reject(e) : resolve()))
        })
      })
    },
    onData: (listener) => data.add(listener),
    onClose: (listener) => closed.add(listener),
    setBaudRate(next) {
      return new Promise<void>((resolve, reject) =>
        port.update({ baudRate: next }, (error) => {
          if (error) return reject(openError(path, error))
          speed = next
          resolve()
        }),
      )
    },
    discard() {
      return new Promise<void>((resolve) => port.flush(() => resolve()))
    },
    close() {
      if (!open) return Promise.resolve()
      return new Promise<void>((resolve) => port.close(() => resolve()))
    },
  }
}

/** `*` matches any run of characters; a name without one matches only itself. */
function nameMatcher(pattern: string, flags = ''): (name: string) => boolean {
  const re = new RegExp(
    '^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*') + '$',
    flags,
  )
  return (name) => re.test(name)
}

/** A path or a pattern in its last segment (`/dev/ttyUSB*`): the files that are there. */
function expand(pattern: string): string[] {
  if (!pattern.includes('*')) return existsSync(pattern) ? [pattern] : []
  const dir = dirname(pattern)
  const matches = nameMatcher(basename(pattern))
  try {
    return readdirSync(dir)
      .filter(matches)
      .sort()
      .map((name) => join(dir, name))
  } catch {
    return []
  }
}

/**
 * A name without a folder (`COM3`, `COM*`) is a port the system lists, not a file: Windows COM
 * ports are not in any folder, and such a name looked up as a file is never there.
 */
const isPortName = (pattern: string) => !/[/\\]/.test(pattern)

async function systemPorts(): Promise<string[]> {
  try {
    return (await (await loadSerialPort()).list()).map((p) => p.path)
  } catch {
    return []
  }
}

/**
 * The serial ports worth probing for a reader: the configured paths and patterns when there are
 * any (a pseudo-terminal never shows in the system's port list), else every port the system
 * lists. Port names (`COM3`, `COM*`) are matched against the system's list, without regard to case.
 */
export async function listSerialCandidates(
  patterns: readonly string[] = [],
  listPorts: () => Promise<string[]> = systemPorts,
): Promise<string[]> {
  if (patterns.length === 0) return listPorts()
  const listed = patterns.some(isPortName) ? await listPorts() : []
  return [
    ...new Set(
      patterns.flatMap((p) => (isPortName(p) ? listed.filter(nameMatcher(p, 'i')) : expand(p))),
    ),
  ]
}
