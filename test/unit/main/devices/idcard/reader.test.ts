/** The SAM commands against the simulator, and the transport's timing rules, byte for byte. */
import { describe, expect, it } from 'vitest'
import {
  Commands,
  createSamTransport,
  encodeCommand,
  encodeResponse,
  formatSamId,
  SamReader,
} from '../../../../../src/main/devices/idcard'
import {
  createMemoryLink,
  Listeners,
  type ByteStream,
} from '../../../../../src/main/devices/transports'
import { TRAINING_CARDS, trainingCard } from '../../../../../src/main/training'
import { simulatedReader, wait } from './helpers'

/** A hand-driven device end: the test decides what comes back and when. */
function scriptedLink() {
  const link = createMemoryLink()
  const requests: Uint8Array[] = []
  link.device.onData((b) => requests.push(b))
  return { link, requests, send: (b: Uint8Array) => link.device.write(b) }
}

describe('SamReader over the simulator', () => {
  it('reads status, the SAM id, and changes line settings', async () => {
    const { reader } = simulatedReader()
    await reader.status()
    expect(await reader.samId()).toBe('05.01-20240115-0000410100-0001234567')
    await reader.setBaud(57600)
    await reader.setRfBytes(0x50)
    await reader.reset()
  })

  it('find → select → read, with the appended address and fingerprints', async () => {
    const { sim, reader } = simulatedReader()
    expect(await reader.find()).toBe(false)
    sim.place(trainingCard('resident-zhang')!)
    expect(await reader.find()).toBe(true)
    const read = await reader.readCard({ fingerprints: true, appendedAddress: true })
    expect(read.text.name).toBe('张建国')
    expect(read.fingerprintsRead).toBe(true)
    expect(read.fingerprint).toHaveLength(1024)
    expect(read.appendedAddress).toBe('河南省郑州市金水区文化路97号院3号楼2单元601号')
    expect(read.photoFormat).toBe('wlt')
    expect(read.timing.doneAt).toBeGreaterThanOrEqual(read.timing.startedAt)
  })

  it('answers "none" (SW3 91) for a card without an appended address', async () => {
    const { sim, reader } = simulatedReader()
    sim.place(trainingCard('resident-li')!)
    await reader.find()
    const read = await reader.readCard({ appendedAddress: true })
    expect(read.appendedAddress).toBeNull()
    expect(read.fingerprint).toBeUndefined()
  })

  it('reads all four card types', async () => {
    const { sim, reader } = simulatedReader()
    for (const card of TRAINING_CARDS) {
      sim.place(card)
      await reader.find()
      expect((await reader.readCard()).text).toEqual(card.text)
      sim.remove()
    }
  })

  it('turns a failing status into the SW3 error', async () => {
    const { sim, reader } = simulatedReader({ faults: { selectFail: 1 } })
    sim.place(TRAINING_CARDS[0]!)
    await reader.find()
    await expect(reader.readCard()).rejects.toMatchObject({ code: 'IDCARD_SELECT_FAILED' })
    expect((await reader.readCard()).text.name).toBe('张建国')
  })

  it('formats a short SAM id as hex rather than inventing digits', () => {
    expect(formatSamId(Uint8Array.of(1, 2, 0xab))).toBe('0102AB')
  })
})

describe('SamTransport', () => {
  it('times out with IDCARD_TIMEOUT when nothing comes, IDCARD_FRAME_TRUNCATED when half a frame does', async () => {
    const { link, send } = scriptedLink()
    const t = createSamTransport(link.host)
    await expect(t.exchange(encodeCommand(Commands.find), { timeoutMs: 30 })).rejects.toMatchObject(
      { code: 'IDCARD_TIMEOUT' },
    )
    const half = encodeResponse(0x90, new Uint8Array(8)).subarray(0, 9)
    const p = t.exchange(encodeCommand(Commands.select), { timeoutMs: 30 })
    await send(half)
    await expect(p).rejects.toMatchObject({ code: 'IDCARD_FRAME_TRUNCATED' })
  })

  it('waits past the timeout while a long answer is still arriving', async () => {
    const { link, send } = scriptedLink()
    const t = createSamTransport(link.host, { interByteMs: 60 })
    const frame = encodeResponse(0x90, new Uint8Array(1284))
    const p = t.exchange(encodeCommand(Commands.readTextPhoto), { timeoutMs: 40 })
    for (let at = 0; at < frame.length; at += 200) {
      await send(frame.subarray(at, at + 200))
      await wait(15) // the whole answer takes ~100 ms, well past the 40 ms timeout
    }
    expect((await p).length).toBe(1295)
  })

  it('skips a late answer to an earlier command', async () => {
    const { link, send } = scriptedLink()
    const reader = new SamReader(createSamTransport(link.host))
    const p = reader.find()
    await wait(5)
    // A stale read answer (long), then the real find answer.
    await send(encodeResponse(0x90, new Uint8Array(1284)))
    await send(encodeResponse(0x9f, new Uint8Array(4)))
    expect(await p).toBe(true)
  })

  it('fails an exchange at once when the link closes', async () => {
    const data = new Listeners<[Uint8Array]>()
    const closed = new Listeners<[Error?]>()
    const stream: ByteStream = {
      write: async () => undefined,
      onData: (l) => data.add(l),
      onClose: (l) => closed.add(l),
      close: async () => closed.emit(),
    }
    const t = createSamTransport(stream)
    const p = t.exchange(encodeCommand(Commands.find), { timeoutMs: 5000 })
    closed.emit(new Error('unplugged'))
    await expect(p).rejects.toMatchObject({ code: 'IDCARD_DISCONNECTED' })
  })

  it('honours an AbortSignal', async () => {
    const { link } = scriptedLink()
    const t = createSamTransport(link.host)
    const controller = new AbortController()
    const p = t.exchange(encodeCommand(Commands.find), {
      timeoutMs: 5000,
      signal: controller.signal,
    })
    controller.abort(new Error('stop'))
    await expect(p).rejects.toThrow('stop')
  })
})
