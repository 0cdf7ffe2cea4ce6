/**
 * HID packetisation as a vendor profile, and the whole reader over a simulated HID device: the
 * device end de-packetises the host's output reports into the SAM simulator and packetises its
 * answers into input reports, exactly as the profile says a real one does.
 */
import { describe, expect, it } from 'vitest'
import {
  createSamTransport,
  encodeResponse,
  hidConnector,
  SamReader,
} from '../../../../../src/main/devices/idcard'
import {
  depacketise,
  inputReports,
  openHidStream,
  packetise,
  type HidProfile,
} from '../../../../../src/main/devices/transports'
import { TRAINING_CARDS } from '../../../../../src/main/training'
import { wait } from './helpers'
import { simulatedHidDevice } from './hid-device'

const PROFILES: [string, HidProfile][] = [
  ['64-byte, counted, unnumbered', { reportSize: 64, reportId: 0, lengthPrefix: 'u8', padByte: 0 }],
  [
    '32-byte, counted, report id 2',
    { reportSize: 32, reportId: 2, lengthPrefix: 'u8', padByte: 0 },
  ],
  ['64-byte, raw, report id 1', { reportSize: 64, reportId: 1, lengthPrefix: 'none', padByte: 0 }],
]

describe('HID packetisation', () => {
  it.each(PROFILES)('%s: output reports carry any frame and come back whole', (_n, profile) => {
    const frame = encodeResponse(
      0x90,
      new Uint8Array(1284).map((_, i) => i & 0xff),
    )
    const reports = packetise(frame, profile)
    const room = profile.lengthPrefix === 'u8' ? profile.reportSize - 1 : profile.reportSize
    expect(reports).toHaveLength(Math.ceil(frame.length / room))
    for (const r of reports) expect(r.length).toBe(profile.reportSize + 1)
    // As input reports (id byte only when numbered), de-packetised:
    const back = inputReports(frame, profile).flatMap((r) => [...depacketise(r, profile)])
    if (profile.lengthPrefix === 'u8') expect(Uint8Array.from(back)).toEqual(frame)
    else expect(Uint8Array.from(back.slice(0, frame.length))).toEqual(frame) // padding follows
  })

  it('refuses a profile a one-byte count cannot describe, naming the problem', async () => {
    const profile: HidProfile = { reportSize: 1024, reportId: 0, lengthPrefix: 'u8', padByte: 0 }
    const device = simulatedHidDevice(profile)
    await expect(
      openHidStream(device.backend, { vendorId: 0x0400, productId: 0xc35a }, profile),
    ).rejects.toMatchObject({
      code: 'IDCARD_HID_PROFILE_INVALID',
      params: { reason: expect.stringContaining('report.size=1024') },
    })
  })

  it('refuses a report outside the profile with a typed error', () => {
    const p = PROFILES[1]![1]
    expect(() => depacketise(Uint8Array.of(3, 1, 0x55), p)).toThrow(
      expect.objectContaining({ code: 'IDCARD_HID_REPORT_INVALID' }),
    )
    expect(() => depacketise(Uint8Array.of(2, 40, 0x55), p)).toThrow(
      expect.objectContaining({ code: 'IDCARD_HID_REPORT_INVALID' }),
    )
  })
})

describe('the reader over HID', () => {
  it.each(PROFILES)(
    '%s: reads every card type through the same frame codec',
    async (_n, profile) => {
      const device = simulatedHidDevice(profile)
      const stream = await openHidStream(
        device.backend,
        { vendorId: 0x0400, productId: 0xc35a },
        profile,
      )
      const reader = new SamReader(createSamTransport(stream))
      await reader.status()
      for (const card of TRAINING_CARDS) {
        device.sim.place(card)
        expect(await reader.find()).toBe(true)
        expect((await reader.readCard()).text).toEqual(card.text)
      }
      await stream.close()
    },
  )

  it('reports a missing device with a typed error, and attaches when it appears', async () => {
    const profile = PROFILES[0]![1]
    const device = simulatedHidDevice(profile)
    device.unplug()
    const connector = hidConnector(device.backend, {
      target: { vendorId: 0x0400, productId: 0xc35a },
      profile,
      rescanMs: 10,
    })
    await expect(connector.connect(new AbortController().signal)).rejects.toMatchObject({
      code: 'IDCARD_HID_NOT_FOUND',
    })
    const waiting = connector.waitForChange(new AbortController().signal)
    await wait(30)
    device.plug()
    await waiting
    const connection = await connector.connect(new AbortController().signal)
    let closed = false
    connection.stream.onClose(() => (closed = true))
    device.unplug()
    expect(closed).toBe(true)
  })
})
