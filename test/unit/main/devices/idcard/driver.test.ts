/**
 * The driver's hot-plug: a reader whose port never reports closing but fails every write is
 * detached and connected again, instead of staying "ready" for ever; a connector that fails
 * oddly, and a reader that keeps coming and going.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createSamTransport,
  idCardDriver,
  SamReader,
  startPolling,
  type Connector,
  type IdCardRead,
} from '../../../../../src/main/devices/idcard'
import { createMemoryLink, type ByteStream } from '../../../../../src/main/devices/transports'
import { SamSimulator, trainingCard } from '../../../../../src/main/training'
import { simulatedReader, until, wait } from './helpers'

/** A host end whose writes can be made to fail while the port stays silent about it. */
function failingWrites(inner: ByteStream) {
  let failing = 0
  let closed = false
  let writes = 0
  const stream: ByteStream = {
    async write(bytes) {
      writes++
      if (failing > 0) {
        failing--
        throw new Error('EIO: input/output error')
      }
      return inner.write(bytes)
    },
    onData: (l) => inner.onData(l),
    onClose: (l) => inner.onClose(l), // never fires while writes fail: the point of the test
    async close() {
      closed = true
    },
  }
  return {
    stream,
    fail: (n: number) => (failing = n),
    get closed() {
      return closed
    },
    get writes() {
      return writes
    },
  }
}

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const s of stops.splice(0)) await s()
})

describe('a line whose writes fail', () => {
  it('the poller shrugs off one failed write, and stops on failures in a row', async () => {
    const { link, sim } = simulatedReader()
    const line = failingWrites(link.host)
    const reader = new SamReader(createSamTransport(line.stream))
    const detached: string[] = []
    const states: string[] = []
    const poller = startPolling(
      reader,
      {
        card: () => undefined,
        removed: () => undefined,
        state: (s) => states.push(s),
        error: () => undefined,
        detached: (e) => detached.push(e.code),
      },
      { intervalMs: 10 },
    )
    stops.push(poller.stop)
    await until(() => states.includes('ready'))
    const findsBefore = sim.stats.find
    line.fail(1)
    await until(() => sim.stats.find > findsBefore + 3) // polling on after the failed write
    expect(detached).toEqual([])

    line.fail(Infinity)
    await until(() => detached.length === 1)
    expect(detached).toEqual(['IDCARD_DISCONNECTED'])
    const writes = line.writes
    await wait(100)
    expect(line.writes).toBe(writes) // the loop has stopped
  })

  it('the driver reports the reader detached, closes the line, and connects again', async () => {
    const sim = new SamSimulator()
    const lines: ReturnType<typeof failingWrites>[] = []
    const connector: Connector = {
      async connect() {
        const link = createMemoryLink()
        sim.attach(link.device)
        const line = failingWrites(link.host)
        lines.push(line)
        return { stream: line.stream, description: `line ${lines.length}` }
      },
      waitForChange: async () => void (await wait(20)),
    }
    const states: string[] = []
    const reads: IdCardRead[] = []
    const driver = idCardDriver({
      id: 'test',
      label: 'test',
      simulated: true,
      pollIntervalMs: 10,
      connector,
      onRead: (r) => reads.push(r),
      onRemoved: () => undefined,
    })
    const handle = await driver.start({
      state: (s, code) => states.push(code ? `${s} ${code}` : s),
      notice: () => undefined,
    })
    stops.push(handle.stop)
    await until(() => states.includes('ready'))
    lines[0]!.fail(Infinity)
    await until(() => lines.length === 2 && states.at(-1) === 'ready', 5000)
    expect(states).toEqual(['ready', 'absent IDCARD_DISCONNECTED', 'ready'])
    expect(lines[0]!.closed).toBe(true)
    sim.place(trainingCard('resident-li')!)
    await until(() => reads.length === 1)
    expect(reads[0]!.text.name).toBe('李秀兰')
  })
})

describe('connecting', () => {
  it('shows a connector failure that is not a CounterError as internal, never as a raw system code', async () => {
    let attempts = 0
    const connector: Connector = {
      async connect() {
        attempts++
        throw Object.assign(new Error('Cannot find module serialport'), {
          code: 'ERR_MODULE_NOT_FOUND',
        })
      },
      waitForChange: async () => void (await wait(20)),
    }
    const states: string[] = []
    const driver = idCardDriver({
      id: 'test',
      label: 'test',
      simulated: false,
      pollIntervalMs: 10,
      connector,
      onRead: () => undefined,
      onRemoved: () => undefined,
    })
    const handle = await driver.start({
      state: (s, code) => states.push(code ? `${s} ${code}` : s),
      notice: () => undefined,
    })
    stops.push(handle.stop)
    await until(() => attempts >= 2)
    expect(states[0]).toBe('absent INTERNAL')
    expect(states.join()).not.toContain('ERR_MODULE_NOT_FOUND')
  })

  it('leaves nothing behind on its stop signal for each reconnection', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    try {
      const sim = new SamSimulator()
      let connects = 0
      const connector: Connector = {
        async connect() {
          connects++
          const link = createMemoryLink()
          sim.attach(link.device)
          setTimeout(() => void link.host.close(), 15) // pulled out again at once
          return { stream: link.host, description: `line ${connects}` }
        },
        waitForChange: async () => undefined,
      }
      const driver = idCardDriver({
        id: 'test',
        label: 'test',
        simulated: true,
        pollIntervalMs: 5,
        connector,
        onRead: () => undefined,
        onRemoved: () => undefined,
      })
      const handle = await driver.start({ state: () => undefined, notice: () => undefined })
      stops.push(handle.stop)
      await until(() => connects >= 15, 5000)
      await wait(20) // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.includes('abort listeners'))).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })
})
