/**
 * The ID card reader over a real pseudo-terminal pair (socat), as the app runs it in production:
 * a core configured for a serial reader, the simulated SAM on the other end of the pty, paced at
 * its line speed. Cards of all four types are placed and lifted, the field's faults come and go,
 * the reader is unplugged and plugged back — and every placement gives exactly one read.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionView } from '../../../src/shared/api'
import type { DeviceStatus } from '../../../src/shared/domain'
import { parseConfig } from '../../../src/main/config'
import { createCore, type Core } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import {
  startPtySimulator,
  TRAINING_CARDS,
  trainingCard,
  type PtySimulator,
  type SimFaults,
} from '../../../src/main/training'

const root = resolve(import.meta.dirname, '../../..')
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(check: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await wait(10)
  }
}

interface Rig {
  readonly pty: PtySimulator
  readonly core: Core
  /** Every session change: a name for a read, null for a clear. */
  readonly events: (string | null)[]
  readonly devices: () => DeviceStatus | undefined
}

async function rig(options: {
  baudRate?: 115200 | 57600 | 38400 | 19200 | 9600
  simBaud?: number
  port?: 'auto'
  sticky?: boolean
  faults?: SimFaults
}): Promise<Rig> {
  const pty = await startPtySimulator({
    profile: {
      baudRate: options.simBaud ?? options.baudRate ?? 115200,
      afterRead: options.sticky ? 'sticky' : 'refinds',
      rf: { findMs: 2, selectMs: 5, readMs: 30, addressMs: 5 },
    },
    ...(options.faults ? { faults: options.faults } : {}),
  })
  cleanups.push(() => pty.close())
  const dataDir = mkdtempSync(join(tmpdir(), 'idcard-sys-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const config = parseConfig({
    mode: 'training',
    terminal: {
      id: 'SYS-01',
      unitName: '测试单位',
      unitCode: '11410105MB1613052U',
      region: '410105',
    },
    devices: {
      idcard: {
        kind: 'serial',
        port: options.port ?? pty.path,
        ...(options.port === 'auto' ? { candidates: [join(pty.path, '..', '*')] } : {}),
        baudRate: options.baudRate ?? 115200,
        rescanMs: 200,
        ...(options.sticky ? { afterRead: 'auto' } : {}),
      },
      pollIntervalMs: 60,
    },
  })
  const core = await createCore({
    config,
    dataDir,
    resourcesDir: join(root, 'resources'),
    version: 'sys',
    logger: silentLogger,
  })
  const events: (string | null)[] = []
  let status: DeviceStatus | undefined
  core.onEvent((event, payload) => {
    if (event === 'session') events.push((payload as SessionView).holder?.name ?? null)
    if (event === 'devices')
      status = (payload as DeviceStatus[]).find((d) => d.kind === 'idcard') ?? status
  })
  await core.start()
  cleanups.push(() => core.stop())
  return { pty, core, events, devices: () => status }
}

describe('serial reader on a real pty', () => {
  it('places and lifts all four card types: exactly one read per placement', async () => {
    const { pty, events, devices } = await rig({})
    await until(() => devices()?.state === 'ready', 'the reader')
    const expected: (string | null)[] = []
    for (const card of TRAINING_CARDS.filter((c) => c.id !== 'resident-wang-expired')) {
      pty.sim.place(card)
      await until(() => events.at(-1) === card.text.name, `${card.id} read`)
      await wait(300) // it keeps lying there: many polls, no second read
      pty.sim.remove()
      await until(() => events.at(-1) === null, `${card.id} lifted`)
      expected.push(card.text.name, null)
    }
    expect(events).toEqual(expected)
    expect(pty.sim.stats.read).toBe(expected.length / 2) // 30 01 only: no re-reads
  }, 60_000)

  it('recovers from no card, select and read failures, a hung card, noise, split answers and a slow radio', async () => {
    const { pty, events, devices } = await rig({})
    await until(() => devices()?.state === 'ready', 'the reader')
    const faults: [string, SimFaults][] = [
      ['select fails twice', { selectFail: 2 }],
      ['read fails (41) twice', { readFail: 2 }],
      ['the card hangs', { hang: 1 }],
      ['line noise', { garbage: true }],
      ['answers in pieces', { splitFrames: true }],
      ['slow radio', { slowRfMs: 400 }],
    ]
    let n = 0
    for (const [name, fault] of faults) {
      const card = TRAINING_CARDS[n++ % TRAINING_CARDS.length]!
      Object.assign(pty.sim.faults, fault)
      pty.sim.place(card)
      await until(() => events.at(-1) === card.text.name, `${name}: read`, 15_000)
      await wait(200)
      pty.sim.remove()
      await until(() => events.at(-1) === null, `${name}: lift`)
      for (const k of Object.keys(fault)) delete (pty.sim.faults as Record<string, unknown>)[k]
    }
    // "No card" lasts as long as the fault: the card is simply not there for the reader.
    pty.sim.faults.noCard = true
    pty.sim.place(TRAINING_CARDS[0]!)
    await wait(300)
    expect(events.at(-1)).toBeNull()
    pty.sim.faults.noCard = false
    await until(() => events.at(-1) === '张建国', 'read after no-card')
    const reads = events.filter((e) => e !== null)
    expect(reads).toHaveLength(faults.length + 1)
    expect(devices()?.state).toBe('ready')
  }, 120_000)

  it('on a reader that fails finds after a read: keeps the holder while the card lies and never re-reads', async () => {
    const { pty, events, devices } = await rig({ sticky: true })
    await until(() => devices()?.state === 'ready', 'the reader')
    pty.sim.place(trainingCard('permit-chen')!)
    await until(() => events.length === 1, 'first read')
    await wait(800)
    expect(events).toEqual(['陈嘉欣'])
    expect(pty.sim.stats.read).toBe(1)
    pty.sim.remove()
    await wait(200)
    pty.sim.place(trainingCard('foreigner-garcia-2023')!)
    await until(() => events.at(-1) === '加西亚·玛丽亚', 'second placement')
    expect(events).toEqual(['陈嘉欣', null, '加西亚·玛丽亚'])
  }, 60_000)

  it('shows the reader absent when unplugged and reconnects by itself when plugged back in', async () => {
    const { pty, events, devices } = await rig({})
    await until(() => devices()?.state === 'ready', 'the reader')
    pty.sim.place(TRAINING_CARDS[1]!)
    await until(() => events.at(-1) === '李秀兰', 'read')
    await pty.unplug()
    await until(() => devices()?.state === 'absent', 'absent after unplug')
    expect(devices()?.errorCode).toMatch(/IDCARD_(DISCONNECTED|PORT_NOT_FOUND)/)
    // The applicant stays: pulling the cable is not lifting the card.
    expect(events.at(-1)).toBe('李秀兰')
    pty.sim.remove()
    await pty.plug()
    await until(() => devices()?.state === 'ready', 'ready after plugging back in')
    pty.sim.place(TRAINING_CARDS[3]!)
    await until(() => events.at(-1) === '赵小明', 'read after reconnecting')
  }, 60_000)

  it('finds the reader among candidate ports and negotiates it up from 9600 to the configured speed', async () => {
    const { pty, events, devices } = await rig({ port: 'auto', baudRate: 57600, simBaud: 9600 })
    await until(() => devices()?.state === 'ready', 'detection', 20_000)
    expect(pty.sim.lineSpeed).toBe(57600)
    pty.sim.place(TRAINING_CARDS[5]!)
    await until(() => events.at(-1) === '史密斯', 'read at the negotiated speed')
  }, 60_000)
})
