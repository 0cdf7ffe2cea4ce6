/**
 * The line speed a host has set on a pseudo-terminal, read through termios. A pty carries bytes
 * at any speed, so a simulated reader needs this to behave like a real UART: deaf to a host at
 * the wrong baud. Linux only (glibc's speed_t values); elsewhere there is no probe and the
 * simulator hears every speed.
 */
import { closeSync, constants, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import type Koffi from 'koffi'

/** glibc's `speed_t` constants for the speeds the readers use. */
const SPEEDS: Readonly<Record<number, number>> = {
  0o15: 9600,
  0o16: 19200,
  0o17: 38400,
  0o10001: 57600,
  0o10002: 115200,
}

interface Libc {
  tcgetattr(fd: number, termios: Uint8Array): number
  cfgetospeed(termios: Uint8Array): number
}

let libc: Libc | null | undefined

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc
  libc = null
  if (process.platform !== 'linux') return libc
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi
    const lib = koffi.load('libc.so.6')
    libc = {
      tcgetattr: lib.func('int tcgetattr(int fd, _Out_ uint8_t *termios)'),
      cfgetospeed: lib.func('uint32_t cfgetospeed(const uint8_t *termios)'),
    }
  } catch {
    libc = null
  }
  return libc
}

export interface LineSpeedProbe {
  /** The host's line speed in bps, or undefined when it cannot be read. */
  read(): number | undefined
  close(): void
}

/**
 * Opens the host's end of the pty (without reading from it) to watch its termios. Holding it open
 * also keeps the pty alive while the host closes and reopens its port.
 */
export function openLineSpeedProbe(path: string): LineSpeedProbe | undefined {
  const c = loadLibc()
  if (!c) return undefined
  let fd: number
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK)
  } catch {
    return undefined
  }
  const termios = new Uint8Array(64)
  let open = true
  return {
    read() {
      if (!open || c.tcgetattr(fd, termios) !== 0) return undefined
      return SPEEDS[c.cfgetospeed(termios)]
    },
    close() {
      if (!open) return
      open = false
      try {
        closeSync(fd)
      } catch {
        // already gone with the pty
      }
    },
  }
}
