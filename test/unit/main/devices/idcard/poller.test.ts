/**
 * The poll loop over the simulator: one read per placement on both kinds of reader, recovery from
 * the field's faults, and the unresponsive state.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  startPolling,
  type AfterRead,
  type IdCardRead,
  type ReaderState,
} from '../../../../../src/main/devices/idcard'
import type { CounterError } from '../../../../../src/shared/errors'
import { TRAINING_CARDS, trainingCard, type SimOptions } from '../../../../../src/main/training'
import { simulatedReader, until, wait } from './helpers'

const INTERVAL = 10

function run(simOptions: SimOptions = {}, afterRead?: AfterRead) {
  const { sim, reader, link } = simulatedReader(simOptions)
  const log: string[] = []
  const reads: IdCardRead[] = []
  const errors: CounterError[] = []
  const states: ReaderState[] = []
  const poller = startPolling(
    reader,
    {
      card: (r) => {
        reads.push(r)
        log.push(`read ${r.text.name}`)
      },
      removed: () => log.push('removed'),
      state: (s) => states.push(s),
      error: (e) => errors.push(e),
    },
    { intervalMs: INTERVAL, ...(afterRead ? { afterRead } : {}), unresponsiveIntervalMs: 20 },
  )
  stops.push(poller.stop)
  return { sim, link, log, reads, errors, states }
}

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const s of stops.splice(0)) await s()
})

describe('once per placement', () => {
  it('reads a card lying on a re-finding reader once, sees the lift, reads it again when placed again', async () => {
    const { sim, log, reads } = run()
    sim.place(TRAINING_CARDS[0]!)
    await wait(250) // many polls with the card lying there
    expect(log).toEqual(['read 张建国'])
    expect(sim.stats.read).toBe(1)
    expect(reads[0]!.photo).toHaveLength(1024)
    sim.remove()
    await until(() => log.length === 2)
    expect(log).toEqual(['read 张建国', 'removed'])
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 3)
    sim.place(TRAINING_CARDS[1]!) // swapped within one poll: the reader never saw a gap
    await wait(100)
    expect(log).toEqual(['read 张建国', 'removed', 'read 张建国'])
  })

  it('on a reader that fails every find after a read: keeps the holder while the card lies, never re-reads', async () => {
    const { sim, log } = run({ profile: { afterRead: 'sticky' } })
    sim.place(trainingCard('permit-chen')!)
    await wait(300)
    expect(log).toEqual(['read 陈嘉欣'])
    expect(sim.stats.read).toBe(1)
    // Lifted and placed again: a new placement, the previous holder goes first.
    sim.remove()
    await wait(50)
    expect(log).toEqual(['read 陈嘉欣'])
    sim.place(trainingCard('foreigner-smith-2017')!)
    await until(() => log.length === 3)
    expect(log).toEqual(['read 陈嘉欣', 'removed', 'read 史密斯'])
    await wait(150)
    expect(sim.stats.read).toBe(2)
  })

  it('can be told the reader is sticky, and then never waits to learn it', async () => {
    const { sim, log } = run({ profile: { afterRead: 'sticky' } }, 'sticky')
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 1)
    await wait(100)
    expect(sim.stats.read).toBe(1)
  })

  it('does not mistake one lost "found" for a lift', async () => {
    const { sim, log } = run()
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 1)
    // Exactly the next find answers "no card" (a window in time could fall between two polls).
    sim.faults.noCard = 1
    await until(() => sim.faults.noCard === 0, 3000, 'the lost answer')
    const finds = sim.stats.find
    await until(() => sim.stats.find >= finds + 4, 3000, 'polls after it')
    expect(log).toEqual(['read 张建国'])
    expect(sim.stats.read).toBe(1)
  })
})

describe('recovery', () => {
  it('retries a failed read (41) and reports one read and one notice for the placement', async () => {
    const { sim, log, errors } = run({ faults: { readFail: 2 } })
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 1)
    expect(errors.map((e) => e.code)).toEqual(['IDCARD_READ_FAILED'])
    await wait(100)
    expect(log).toEqual(['read 张建国'])
  })

  it('retries a failed select (81)', async () => {
    const { sim, log, errors } = run({ faults: { selectFail: 1 } })
    sim.place(TRAINING_CARDS[1]!)
    await until(() => log.length === 1)
    expect(errors.map((e) => e.code)).toEqual(['IDCARD_SELECT_FAILED'])
  })

  it('resets the SAM after a hung card and reads on, without ever calling the reader unresponsive', async () => {
    const { sim, log, states } = run({ faults: { hang: 1 } })
    sim.place(TRAINING_CARDS[2]!)
    await until(() => log.length === 1, 8000)
    expect(log).toEqual(['read 王磊'])
    expect(sim.stats.reset).toBeGreaterThanOrEqual(1)
    expect(states).not.toContain('unresponsive')
  }, 15_000)

  it('gives up on a card after three failed reads until it is lifted', async () => {
    const { sim, log, errors } = run({ faults: { readFail: true } })
    sim.place(TRAINING_CARDS[0]!)
    await wait(200)
    expect(sim.stats.read).toBe(3)
    expect(errors).toHaveLength(1)
    sim.faults.readFail = false
    await wait(100)
    expect(log).toEqual([]) // still the same placement
    sim.remove()
    await wait(60)
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 1)
  })

  it('reads through line noise and answers that arrive in pieces', async () => {
    const { sim, log } = run({ faults: { garbage: true, splitFrames: true } })
    for (const card of TRAINING_CARDS.slice(4)) {
      sim.place(card)
      await until(() => log.at(-1) === `read ${card.text.name}`, 8000)
      sim.remove()
      await until(() => log.at(-1) === 'removed', 8000)
    }
    expect(log.filter((l) => l.startsWith('read'))).toHaveLength(3)
  }, 20_000)
})

describe('reader state', () => {
  it('goes unresponsive when neither commands nor a reset are answered, and ready again after', async () => {
    const { sim, link, states } = run()
    await until(() => states.includes('ready'))
    // Cut the simulator off: nothing is answered any more.
    sim.detach()
    await until(() => states.at(-1) === 'unresponsive', 5000)
    sim.attach(link.device)
    await until(() => states.at(-1) === 'ready', 5000)
    expect(states).toEqual(['ready', 'unresponsive', 'ready'])
  }, 10_000)

  it('shows busy while a card is read', async () => {
    const { sim, states, log } = run()
    sim.place(TRAINING_CARDS[0]!)
    await until(() => log.length === 1)
    expect(states).toEqual(['ready', 'busy', 'ready'])
  })
})
