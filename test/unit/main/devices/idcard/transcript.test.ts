/**
 * Record/replay: each card type replays from its recorded transcript through the same reader code
 * a live read uses, and replay is strict about every exchange.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSamTransport, SamReader } from '../../../../../src/main/devices/idcard'
import {
  parseTranscript,
  recordExchanges,
  replayTranscript,
} from '../../../../../src/main/devices/transports'
import { trainingCard } from '../../../../../src/main/training'
import { simulatedReader } from './helpers'

const fixture = (name: string) =>
  readFileSync(
    resolve(import.meta.dirname, '../../../../fixtures/idcard/transcripts', name),
    'utf8',
  )

const CASES = [
  ['resident.transcript', 'resident', '张建国'],
  ['permit-J.transcript', 'J', '陈嘉欣'],
  ['foreigner-I.transcript', 'I', '史密斯'],
  ['foreigner-Y.transcript', 'Y', '加西亚·玛丽亚'],
] as const

async function session(reader: SamReader) {
  await reader.status()
  const before = await reader.find()
  const found = await reader.find()
  const read = await reader.readCard({ appendedAddress: true })
  return { before, found, read }
}

describe('replaying recorded reader sessions', () => {
  it.each(CASES)('%s: a %s card', async (file, type, name) => {
    const replay = replayTranscript(fixture(file))
    const { before, found, read } = await session(new SamReader(replay))
    expect(before).toBe(false)
    expect(found).toBe(true)
    expect(read.text.type).toBe(type)
    expect(read.text.name).toBe(name)
    replay.assertDone()
  })

  it('records what replays: a fresh recording of the simulator equals the fixture', async () => {
    const { sim, link } = simulatedReader()
    const lines: string[] = []
    const reader = new SamReader(
      recordExchanges(createSamTransport(link.host), (l) => lines.push(l)),
    )
    await reader.status()
    await reader.find()
    sim.place(trainingCard('resident-zhang')!)
    await reader.find()
    await reader.readCard({ appendedAddress: true })
    const recorded = parseTranscript(lines.join('\n'))
    const fixed = parseTranscript(fixture('resident.transcript'))
    expect(recorded).toEqual(fixed.map((e, i) => ({ ...e, line: recorded[i]!.line })))
  })

  it('fails on an unexpected exchange, on one past the end, and on leftovers', async () => {
    const text = fixture('resident.transcript')
    const wrongFirst = new SamReader(replayTranscript(text))
    await expect(wrongFirst.find()).rejects.toMatchObject({
      code: 'TRANSCRIPT_UNEXPECTED_EXCHANGE',
      params: { line: 3 },
    })

    const short = replayTranscript(text)
    const reader = new SamReader(short)
    await reader.status()
    await reader.find()
    expect(short.remaining()).toBe(4)
    expect(() => short.assertDone()).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_LEFTOVER' }),
    )

    const full = replayTranscript(text)
    await session(new SamReader(full))
    await expect(new SamReader(full).find()).rejects.toMatchObject({
      code: 'TRANSCRIPT_UNEXPECTED_EXCHANGE',
    })
  })

  it('replays a recorded failure as the same typed error', async () => {
    const replay = replayTranscript('=> AAAAAA96690003200122\n<= !IDCARD_TIMEOUT\n')
    await expect(new SamReader(replay).find()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' })
  })

  it.each([
    ['no arrow', 'AAAA\n'],
    ['answer without request', '<= AA\n'],
    ['odd hex', '=> AAA\n<= AA\n'],
    ['two requests', '=> AA\n=> AA\n'],
    ['unknown error code', '=> AA\n<= !NO_SUCH_CODE\n'],
    ['dangling request', '=> AA\n'],
  ])('refuses a malformed transcript: %s', (_name, text) => {
    expect(() => parseTranscript(text)).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_INVALID' }),
    )
  })
})
