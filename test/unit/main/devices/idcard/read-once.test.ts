/**
 * One read as the diagnostics CLI makes it: the SAM is reset first and after a timeout, so a
 * card left hung — by an earlier program or by this very read — does not fail every later read.
 */
import { describe, expect, it } from 'vitest'
import { readOneCard } from '../../../../../src/main/devices/idcard'
import type { CounterError } from '../../../../../src/shared/errors'
import { trainingCard } from '../../../../../src/main/training'
import { simulatedReader } from './helpers'

const zhang = trainingCard('resident-zhang')!

describe('reading one card', () => {
  it('resets a SAM that an earlier read left hung before asking anything', async () => {
    const { sim, reader } = simulatedReader({ faults: { hang: 1 } })
    sim.place(zhang)
    // What an earlier program did: its read hung the card, and it went away.
    expect(await reader.find()).toBe(true)
    await reader.select()
    await expect(reader.readTextPhoto()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' })
    await expect(reader.find()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' }) // still hung
    const resetsBefore = sim.stats.reset

    const result = await readOneCard(reader, { timeoutMs: 5000 })
    expect(result.read.text.name).toBe('张建国')
    expect(result.resets).toBe(0) // the reset at the start was enough
    expect(sim.stats.reset).toBe(resetsBefore + 1)
    expect(result.samId).toBe('05.01-20240115-0000410100-0001234567')
  }, 15_000)

  it('resets the SAM after its own read hangs, and reads on', async () => {
    const { sim, reader } = simulatedReader({ faults: { hang: 1 } })
    sim.place(zhang)
    const resetAfter: CounterError[] = []
    const result = await readOneCard(reader, {
      timeoutMs: 10_000,
      read: { appendedAddress: true },
      onReset: (e) => resetAfter.push(e),
    })
    expect(result.read.appendedAddress).toBe(zhang.appendedAddress)
    expect(result.resets).toBe(1)
    expect(resetAfter.map((e) => e.code)).toEqual(['IDCARD_TIMEOUT'])
    expect(sim.stats.read).toBe(2)
  }, 15_000)

  it('gives up on a card that fails to read three times, with the reader’s error', async () => {
    const { sim, reader } = simulatedReader({ faults: { readFail: true } })
    sim.place(zhang)
    await expect(readOneCard(reader, { timeoutMs: 10_000, intervalMs: 5 })).rejects.toMatchObject({
      code: 'IDCARD_READ_FAILED',
    })
    expect(sim.stats.read).toBe(3)
  })

  it('says there is no card when none comes, and that the reader is silent when it is', async () => {
    const { reader } = simulatedReader()
    await expect(readOneCard(reader, { timeoutMs: 100, intervalMs: 10 })).rejects.toMatchObject({
      code: 'IDCARD_NO_CARD',
    })
    const silent = simulatedReader()
    silent.sim.detach()
    await expect(readOneCard(silent.reader, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'IDCARD_TIMEOUT',
    })
  }, 10_000)
})
