/**
 * Record/replay: each card type replays from its recorded transcript through the same reader code
 * a live read uses, and replay is strict about every exchange. A whole poll session, as the
 * reader's `record` option writes it in the field, replays byte by byte through the driver.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createSamTransport,
  idCardDriver,
  idNumberCheckOk,
  SamReader,
  type Connector,
  type IdCardRead,
  type ReadOptions,
} from '../../../../../src/main/devices/idcard'
import {
  parseTranscript,
  recordExchanges,
  replayStream,
  replayTranscript,
} from '../../../../../src/main/devices/transports'
import { CounterError } from '../../../../../src/shared/errors'
import { trainingCard } from '../../../../../src/main/training'
import { hex, simulatedReader, until } from './helpers'

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

describe('replaying the wire', () => {
  const FIND = '=> AAAAAA96690003200122'
  const NO_CARD = '<= AAAAAA966900080000800000000088'

  it('answers requests written in pieces, stays silent for a recorded timeout, and closes at the end', async () => {
    const stream = replayStream(`${FIND}\n${NO_CARD}\n${FIND}\n<= !IDCARD_TIMEOUT\n`)
    const reader = new SamReader(createSamTransport(stream))
    expect(await reader.find()).toBe(false)
    await expect(reader.find()).rejects.toMatchObject({ code: 'IDCARD_TIMEOUT' })
    expect(stream.remaining()).toBe(0)
    let closed = false
    stream.onClose(() => (closed = true))
    await expect(reader.find()).rejects.toMatchObject({ code: 'IDCARD_DISCONNECTED' })
    await stream.ended
    expect(closed).toBe(true)
    expect(stream.failure).toBeUndefined()

    const split = replayStream(`${FIND}\n${NO_CARD}\n`)
    const got: number[] = []
    split.onData((b) => got.push(...b))
    await split.write(hex('AAAAAA9669'))
    await split.write(hex('0003200122'))
    await until(() => got.length === 15)
    expect(split.remaining()).toBe(0)
  })

  it('closes the line on a request that is not the recorded one, and says which', async () => {
    const stream = replayStream(`${FIND}\n${NO_CARD}\n`)
    await stream.write(hex('AAAAAA9669000311FFED'))
    await stream.ended
    expect(stream.failure).toMatchObject({
      code: 'TRANSCRIPT_UNEXPECTED_EXCHANGE',
      params: { line: 1 },
    })
  })
})

describe('a field capture replayed through the driver and its poll loop', () => {
  /** The reader the capture came from: there once, then gone (the capture is used up). */
  function captured(file: string) {
    const stream = replayStream(fixture(file))
    let connects = 0
    const connector: Connector = {
      async connect() {
        if (connects++ > 0) throw new CounterError('IDCARD_NO_READER')
        return { stream, description: 'replay' }
      },
      waitForChange: (signal) =>
        new Promise((r) => signal.addEventListener('abort', () => r(), { once: true })),
    }
    return { stream, connector }
  }

  async function replay(file: string, read: ReadOptions) {
    const { stream, connector } = captured(file)
    const reads: IdCardRead[] = []
    const log: string[] = []
    const states: string[] = []
    const notices: string[] = []
    const driver = idCardDriver({
      id: 'replay',
      label: 'replay',
      simulated: false,
      pollIntervalMs: 10,
      connector,
      read,
      afterRead: 'auto',
      onRead: (r) => {
        reads.push(r)
        log.push(`read ${r.text.type}`)
      },
      onRemoved: () => log.push('removed'),
    })
    const handle = await driver.start({
      state: (state, code) => states.push(code ? `${state} ${code}` : state),
      notice: (e) => notices.push(e.code),
    })
    await stream.ended
    await until(() => states.at(-1)?.startsWith('absent') === true)
    await handle.stop()
    return { stream, reads, log, states, notices }
  }

  it('reads each placement once, resets the SAM after the hung read, and uses up the capture', async () => {
    const { stream, reads, log, states, notices } = await replay('driver-session.transcript', {
      appendedAddress: true,
    })
    expect(stream.failure).toBeUndefined()
    expect(stream.remaining()).toBe(0)
    expect(log).toEqual(['read resident', 'removed', 'read J', 'removed'])
    expect(notices).toEqual([]) // a hung read is retried, not shown
    expect(states).not.toContain('unresponsive')
    expect(states).toContain('absent IDCARD_DISCONNECTED') // the capture ends like a pulled cable

    // What the capture holds is masked, and still a card of its type.
    const [resident, permit] = reads
    expect(resident!.text).toMatchObject({ name: '某某某', sexCode: '1', birth: '1900-01-01' })
    expect(resident!.text.idNumber).toMatch(/^410105/)
    expect(resident!.text.idNumber).not.toBe(trainingCard('resident-zhang')!.text.idNumber)
    expect(idNumberCheckOk('resident', resident!.text.idNumber)).toBe(true)
    expect(resident!.appendedAddress).toMatch(/^[某0]+$/)
    expect(resident!.photo.every((b) => b === 0)).toBe(true)
    expect(permit!.text).toMatchObject({ type: 'J', sexCode: '2', validTo: '2027-06-15' })
    expect(permit!.appendedAddress).toBeNull()
  }, 20_000)

  it('fails at the first exchange a changed poll loop makes differently', async () => {
    // Reading with fingerprints sends 30 10 where the capture has 30 01.
    const { stream, log } = await replay('driver-session.transcript', {
      appendedAddress: true,
      fingerprints: true,
    })
    expect(log).toEqual([])
    expect(stream.failure).toMatchObject({
      code: 'TRANSCRIPT_UNEXPECTED_EXCHANGE',
      params: { line: 12 },
    })
  }, 20_000)
})
