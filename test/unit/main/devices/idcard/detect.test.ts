/**
 * Auto-detection and baud negotiation, with serial ports stood in by in-memory links whose line
 * speed the simulated SAM hears: a host at the wrong speed gets no answer, as on a real UART.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { connectSerialReader, probeSam } from '../../../../../src/main/devices/idcard'
import {
  createMemoryLink,
  listSerialCandidates,
  type SerialStream,
} from '../../../../../src/main/devices/transports'
import { CounterError } from '../../../../../src/shared/errors'
import { SamSimulator } from '../../../../../src/main/training'

interface FakePort {
  readonly sim?: SamSimulator
  readonly busy?: boolean
}

function fakePorts(ports: Record<string, FakePort>) {
  const opened: string[] = []
  const open = async (path: string, baudRate: number): Promise<SerialStream> => {
    const port = ports[path]
    if (!port) throw new CounterError('IDCARD_PORT_NOT_FOUND', { params: { port: path } })
    if (port.busy) throw new CounterError('IDCARD_PORT_BUSY', { params: { port: path } })
    opened.push(`${path}@${baudRate}`)
    const link = createMemoryLink()
    let speed = baudRate
    if (port.sim) {
      port.sim.attach(link.device, () => speed)
    } else {
      link.device.onData(() => void link.device.write(Uint8Array.of(0x00, 0x13, 0x37))) // a modem
    }
    return {
      ...link.host,
      path,
      get baudRate() {
        return speed
      },
      async setBaudRate(b: number) {
        speed = b
      },
      async discard() {},
    }
  }
  return { open, opened, list: async () => Object.keys(ports) }
}

const sam = (baudRate: number) => new SamSimulator(undefined, { profile: { baudRate } })

describe('finding the reader', () => {
  it('probes each candidate and takes the one whose SAM answers', async () => {
    const reader = sam(115200)
    const ports = fakePorts({
      '/dev/ttyS0': {},
      '/dev/ttyUSB0': { busy: true },
      '/dev/ttyUSB1': { sim: reader },
    })
    const c = await connectSerialReader({
      port: 'auto',
      baudRate: 115200,
      negotiate: true,
      probeTimeoutMs: 200,
      listCandidates: ports.list,
      open: ports.open,
    })
    expect(c.path).toBe('/dev/ttyUSB1')
    expect(c.baudRate).toBe(115200)
    // Every port is asked at the configured speed before any is tried at the others.
    expect(ports.opened).toEqual(['/dev/ttyS0@115200', '/dev/ttyUSB1@115200'])
    expect(await probeSam(c.stream, 100)).toBe(true)
  })

  it('finds a reader left at another speed and switches it to the configured one', async () => {
    const reader = sam(19200)
    const ports = fakePorts({ COM3: { sim: reader } })
    const notices: string[] = []
    const c = await connectSerialReader({
      port: 'COM3',
      baudRate: 115200,
      negotiate: true,
      probeTimeoutMs: 200,
      listCandidates: ports.list,
      open: ports.open,
      notice: (e) => notices.push(e.code),
    })
    expect(c.baudRate).toBe(115200)
    expect(reader.lineSpeed).toBe(115200)
    expect(reader.stats.garbled).toBeGreaterThan(0) // the probes at 115200 and 57600, 38400
    expect(notices).toEqual([])
  })

  it('keeps the reader’s own speed when told not to negotiate', async () => {
    const reader = sam(38400)
    const ports = fakePorts({ COM3: { sim: reader } })
    const c = await connectSerialReader({
      port: 'COM3',
      baudRate: 115200,
      negotiate: false,
      probeTimeoutMs: 200,
      listCandidates: ports.list,
      open: ports.open,
    })
    expect(c.baudRate).toBe(38400)
    expect(reader.lineSpeed).toBe(38400)
  })

  it('says why a named port cannot be used, and how many ports were tried in auto mode', async () => {
    const ports = fakePorts({ COM1: {}, COM2: { busy: true } })
    const base = {
      baudRate: 115200 as const,
      negotiate: true,
      probeTimeoutMs: 100,
      listCandidates: ports.list,
      open: ports.open,
    }
    await expect(connectSerialReader({ ...base, port: 'COM2' })).rejects.toMatchObject({
      code: 'IDCARD_PORT_BUSY',
      params: { port: 'COM2' },
    })
    await expect(connectSerialReader({ ...base, port: 'COM9' })).rejects.toMatchObject({
      code: 'IDCARD_PORT_NOT_FOUND',
    })
    await expect(connectSerialReader({ ...base, port: 'auto' })).rejects.toMatchObject({
      code: 'IDCARD_NOT_DETECTED',
      params: { count: 2 },
    })
  })

  it('looks up port names (COM3, COM*) in the system’s list, paths and patterns on disk', async () => {
    const system = async () => ['COM1', 'COM12', '/dev/ttyS0']
    expect(await listSerialCandidates(['COM*'], system)).toEqual(['COM1', 'COM12'])
    expect(await listSerialCandidates(['com12'], system)).toEqual(['COM12'])
    expect(await listSerialCandidates(['COM3'], system)).toEqual([])
    expect(await listSerialCandidates([], system)).toEqual(['COM1', 'COM12', '/dev/ttyS0'])

    const dir = mkdtempSync(join(tmpdir(), 'serial-candidates-'))
    for (const name of ['ttyUSB1', 'ttyUSB0', 'ttyACM0']) writeFileSync(join(dir, name), '')
    let asked = 0
    const counted = async () => (asked++, ['COM1'])
    expect(await listSerialCandidates([join(dir, 'ttyUSB*')], counted)).toEqual([
      join(dir, 'ttyUSB0'),
      join(dir, 'ttyUSB1'),
    ])
    expect(await listSerialCandidates([join(dir, 'ttyACM0'), join(dir, 'gone')], counted)).toEqual([
      join(dir, 'ttyACM0'),
    ])
    expect(asked).toBe(0) // paths never need the system's list
  })
})
