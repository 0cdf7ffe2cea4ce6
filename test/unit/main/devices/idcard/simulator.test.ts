/** The simulated SAM: paced like a UART, and the training panel's swap that waits for the host. */
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import {
  Commands,
  encodeCommand,
  parseResponseFrame,
  startPolling,
} from '../../../../../src/main/devices/idcard'
import { createMemoryLink } from '../../../../../src/main/devices/transports'
import {
  createTrainingControls,
  SamSimulator,
  TRAINING_CARDS,
  trainingCard,
} from '../../../../../src/main/training'
import { simulatedReader, until } from './helpers'

describe('pacing', () => {
  it('delivers a 1295-byte read answer no sooner than the wire allows at 115200 baud', async () => {
    const { sim, reader } = simulatedReader({ profile: { baudRate: 115200 } })
    sim.place(TRAINING_CARDS[0]!)
    await reader.find()
    await reader.select()
    const t0 = performance.now()
    await reader.readTextPhoto()
    const ms = performance.now() - t0
    const wireMs = ((10 + 1295) * 10 * 1000) / 115200 // request in, answer out
    expect(ms).toBeGreaterThanOrEqual(wireMs - 1)
    expect(ms).toBeLessThan(wireMs * 3 + 50) // paced, not stalled (the bench measures precisely)
  })

  it('adds the configured radio time and the slow-radio fault', async () => {
    const { sim, reader } = simulatedReader({
      profile: { rf: { findMs: 0, selectMs: 0, readMs: 60, addressMs: 0 } },
      faults: { slowRfMs: 50 },
    })
    sim.place(TRAINING_CARDS[0]!)
    await reader.find()
    await reader.select()
    const t0 = performance.now()
    await reader.readTextPhoto()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(105)
  })

  it('answers set-baud at the old speed, then only hears the new one', async () => {
    const link = createMemoryLink()
    let host = 115200
    const sim = new SamSimulator(link.device, { profile: { baudRate: 115200 } })
    sim.attach(link.device, () => host)
    const answers: Uint8Array[] = []
    link.host.onData((b) => answers.push(b))
    await link.host.write(encodeCommand({ ...Commands.status }))
    await until(() => answers.length > 0)
    await link.host.write(
      Uint8Array.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x60, 0x04, 0x67]),
    )
    await until(() => sim.lineSpeed === 9600)
    const before = sim.stats.garbled
    await link.host.write(encodeCommand(Commands.status)) // host still at 115200
    await until(() => sim.stats.garbled > before)
    host = 9600
    const count = answers.length
    await link.host.write(encodeCommand(Commands.status))
    await until(() => answers.length > count, 2000)
    expect(parseResponseFrame(Buffer.concat(answers.slice(count))).sw3).toBe(0x90)
  })
})

describe('training controls', () => {
  it('swaps cards as soon as the host has seen the first one lifted', async () => {
    const { sim, reader } = simulatedReader()
    const names: string[] = []
    let removals = 0
    const poller = startPolling(
      reader,
      {
        card: (r) => names.push(r.text.name),
        removed: () => removals++,
        state: () => undefined,
        error: () => undefined,
      },
      { intervalMs: 40 },
    )
    try {
      const controls = createTrainingControls(sim, { missesForRemoval: 2, maxLiftWaitMs: 2000 })
      expect(controls.cards().map((c) => c.cardType)).toEqual(
        TRAINING_CARDS.map((c) => c.text.type),
      )
      await controls.placeCard('resident-zhang')
      await until(() => names.length === 1)
      const t0 = performance.now()
      await controls.placeCard('foreigner-garcia-2023')
      const swapMs = performance.now() - t0
      await until(() => names.length === 2)
      expect(names).toEqual(['张建国', '加西亚·玛丽亚'])
      expect(removals).toBe(1)
      // It waited for the host's two "no card" answers, not for the 2 s limit.
      expect(swapMs).toBeLessThan(1000)
      await expect(controls.placeCard('nobody')).rejects.toMatchObject({
        code: 'TRAINING_UNKNOWN_CARD',
      })
    } finally {
      await poller.stop()
    }
  })

  it('does not hang a swap when nobody polls', async () => {
    const link = createMemoryLink()
    const sim = new SamSimulator(link.device)
    const controls = createTrainingControls(sim, { missesForRemoval: 2, maxLiftWaitMs: 50 })
    await controls.placeCard('resident-li')
    await controls.placeCard('resident-zhang')
    expect(sim.current).toBe(trainingCard('resident-zhang'))
  })
})
