/**
 * The reader inside the core: configuration → driver → session. Photos from a decoding reader,
 * a sticky reader that must keep the applicant, device status for a missing port, and the
 * holder view each card type produces.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionView } from '../../../../../src/shared/api'
import type { DeviceStatus, IdCardHolder } from '../../../../../src/shared/domain'
import { parseConfig, type ConfigInput } from '../../../../../src/main/config'
import { createCore, type Core } from '../../../../../src/main/core'
import { MARKS } from '../../../../../src/main/idcard-module'
import { parseTranscript, type HidBackend } from '../../../../../src/main/devices/transports'
import { trainingCard } from '../../../../../src/main/training'
import { simulatedHidDevice } from './hid-device'
import { silentLogger } from '../../../../../src/main/log'
import { until, wait } from './helpers'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

const TERMINAL = {
  id: 'T-01',
  unitName: '测试单位',
  unitCode: '11410105MB1613052U',
  region: '410105',
}

async function core(devices: ConfigInput['devices'], hidBackend?: HidBackend): Promise<Core> {
  const c = await createCore({
    config: parseConfig({ mode: 'training', terminal: TERMINAL, devices }),
    dataDir: mkdtempSync(join(tmpdir(), 'idcard-core-')),
    resourcesDir: resolve(import.meta.dirname, '../../../../../resources'),
    version: 'test',
    logger: silentLogger,
    ...(hidBackend ? { hidBackend } : {}),
  })
  cores.push(c)
  await c.start()
  return c
}

function sessions(c: Core): SessionView[] {
  const seen: SessionView[] = []
  c.onEvent((e, p) => e === 'session' && seen.push(p as SessionView))
  return seen
}

describe('the ID card reader in the core', () => {
  it('shows the face a decoding reader returns, and everything the holder panel needs per type', async () => {
    const c = await core({ idcard: { kind: 'simulated', photo: 'bmp' }, pollIntervalMs: 50 })
    const seen = sessions(c)
    const holders: IdCardHolder[] = []
    for (const [id, name] of [
      ['resident-zhang', '张建国'],
      ['permit-chen', '陈嘉欣'],
      ['foreigner-smith-2017', '史密斯'],
      ['foreigner-garcia-2023', '加西亚·玛丽亚'],
    ] as const) {
      await c.dispatch('training.placeCard', [id])
      await until(() => seen.at(-1)?.holder?.name === name)
      holders.push(seen.at(-1)!.holder as IdCardHolder)
    }
    const [zhang, chen, smith, garcia] = holders
    expect(zhang).toMatchObject({
      cardType: 'resident',
      name: '张建国',
      nation: '汉',
      idNumberMasked: '410105********0032',
      appendedAddress: '河南省郑州市金水区文化路97号院3号楼2单元601号',
      fingerprints: 2,
      photo: { state: 'decoded', dataUrl: expect.stringMatching(/^data:image\/bmp;base64,Qk/) },
    })
    expect(chen).toMatchObject({
      cardType: 'J',
      passNumber: 'H60412785',
      issueCount: '01',
      fingerprints: 1,
    })
    expect(smith).toMatchObject({
      cardType: 'I',
      englishName: 'SMITH, MICHAEL JOHN',
      nationality: 'USA',
      nationalityName: '美国',
      cardVersion: '01',
      idNumberCheckOk: true,
    })
    expect(garcia).toMatchObject({ cardType: 'Y', nationalityName: '西班牙', renewalCount: '00' })
    // No full number anywhere in what crosses to the screen.
    expect(JSON.stringify(holders)).not.toMatch(/410105197805160032|934840198802290023/)
  })

  it('keeps the applicant while the card lies on a reader that will not find it again, and never re-reads it', async () => {
    const c = await core({ idcard: { kind: 'simulated', sticky: true }, pollIntervalMs: 50 })
    const seen = sessions(c)
    await c.dispatch('training.placeCard', ['resident-li'])
    await until(() => seen.length === 1)
    await wait(400)
    expect(seen.map((v) => v.holder?.name ?? null)).toEqual(['李秀兰'])
    await c.dispatch('training.placeCard', ['resident-zhang'])
    await until(() => seen.at(-1)?.holder?.name === '张建国')
    expect(seen.map((v) => v.holder?.name ?? null)).toEqual(['李秀兰', null, '张建国'])
  })

  it('records the reader’s exchanges when configured to, masking the holder unless asked not to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idcard-record-'))
    const zhang = '张建国'
    const utf16Hex = (t: string) => Buffer.from(t, 'utf16le').toString('hex').toUpperCase()
    for (const personalData of [false, true]) {
      const file = join(dir, `reader-${personalData}.transcript`)
      const c = await core({
        idcard: { kind: 'simulated', record: { file, personalData } },
        pollIntervalMs: 50,
      })
      const seen = sessions(c)
      await c.dispatch('training.placeCard', ['resident-zhang'])
      await until(() => seen.at(-1)?.holder?.name === zhang)
      await c.stop()
      cores.splice(cores.indexOf(c), 1)
      const text = readFileSync(file, 'utf8')
      const entries = parseTranscript(text) // whole: every request has its answer
      const requests = entries.map((e) => Buffer.from(e.request).toString('hex').toUpperCase())
      expect(requests).toContain('AAAAAA96690003301023') // the read (30 10 in training)
      expect(text).toMatch(personalData ? /personal data INCLUDED/ : /personal data masked/)
      expect(text.includes(utf16Hex(zhang))).toBe(personalData)
      expect(text.includes(utf16Hex('410105197805160032'))).toBe(personalData)
    }
  })

  it('reads through a HID reader as configured, and reconnects after it is pulled out', async () => {
    const device = simulatedHidDevice({
      reportSize: 32,
      reportId: 2,
      lengthPrefix: 'u8',
      padByte: 0,
    })
    const c = await core(
      {
        idcard: {
          kind: 'hid',
          vendorId: '0x0400',
          productId: '0xc35a',
          report: { size: 32, id: 2 },
          rescanMs: 100,
        },
        pollIntervalMs: 50,
      },
      device.backend,
    )
    const seen = sessions(c)
    // The status the status bar shows (the first events may come before anyone listens).
    const status = async () =>
      (
        (await c.dispatch('app.status', [])) as { value: { devices: DeviceStatus[] } }
      ).value.devices.find((d) => d.kind === 'idcard')!
    const untilState = async (state: DeviceStatus['state']) => {
      const end = Date.now() + 5000
      while ((await status()).state !== state) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${state}`)
        await wait(10)
      }
      return status()
    }
    expect(await untilState('ready')).toMatchObject({ id: 'idcard-hid', simulated: false })

    device.sim.place(trainingCard('foreigner-smith-2017')!)
    await until(() => seen.at(-1)?.holder?.name === '史密斯')
    expect(seen.at(-1)!.holder).toMatchObject({ cardType: 'I', englishName: 'SMITH, MICHAEL JOHN' })

    device.unplug()
    expect((await untilState('absent')).errorCode).toMatch(/IDCARD_(DISCONNECTED|HID_NOT_FOUND)/)
    expect(seen.at(-1)?.holder?.name).toBe('史密斯') // pulling the cable is not lifting the card

    device.sim.remove()
    device.plug()
    await untilState('ready')
    device.sim.place(trainingCard('permit-chen')!)
    await until(() => seen.at(-1)?.holder?.name === '陈嘉欣')
  })

  it('paces the training reader at a configured line speed, as a serial reader is', async () => {
    const c = await core({ idcard: { kind: 'simulated', baudRate: 19200 }, pollIntervalMs: 50 })
    const seen = sessions(c)
    await c.dispatch('training.placeCard', ['resident-li'])
    await until(() => seen.at(-1)?.holder?.name === '李秀兰', 10_000)
    const at = (name: string) => performance.getEntriesByName(name, 'mark').at(-1)!.startTime
    // Found → read done: select and the read (30 10, no fingerprints on this card: 1297 bytes)
    // cross the wire, at 10 bits a byte. A lower bound only: pacing, not speed, is tested here.
    const bytes = 10 + 19 + 10 + 1297
    expect(at(MARKS.readDone) - at(MARKS.found)).toBeGreaterThanOrEqual(
      (bytes * 10 * 1000) / 19200 - 2,
    )
  })

  it('shows a configured serial port that is not there as absent, with the reason', async () => {
    const c = await core({
      idcard: { kind: 'serial', port: join(tmpdir(), 'no-such-reader'), rescanMs: 100 },
      pollIntervalMs: 100,
    })
    const r = await c.dispatch('app.status', [])
    const status = (r as { value: { devices: DeviceStatus[] } }).value.devices.find(
      (d) => d.kind === 'idcard',
    )
    expect(status).toMatchObject({
      state: 'absent',
      errorCode: 'IDCARD_PORT_NOT_FOUND',
      simulated: false,
    })
  })

  it('names a bad reader setting by its key', () => {
    const withReader = (idcard: unknown) =>
      parseConfig({ mode: 'training', terminal: TERMINAL, devices: { idcard } })
    expect(() => withReader({ kind: 'serial', port: 'COM3', baudRate: 12345 })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        params: expect.objectContaining({ key: 'devices.idcard.baudRate' }),
      }),
    )
    expect(() =>
      withReader({
        kind: 'hid',
        vendorId: '0x0400',
        productId: 50010,
        report: { size: 64, colour: 1 },
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    // A one-byte count cannot count a report longer than 256: named by key, not "no reader".
    const tooBig = (lengthPrefix: 'u8' | 'none') =>
      withReader({
        kind: 'hid',
        vendorId: '0x0400',
        productId: 50010,
        report: { size: 1024, lengthPrefix },
      })
    expect(() => tooBig('u8')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        params: expect.objectContaining({
          key: 'devices.idcard.report.size',
          problem: expect.stringContaining('256'),
        }),
      }),
    )
    expect(tooBig('none').devices.idcard).toMatchObject({ report: { size: 1024 } })
    const ok = withReader({ kind: 'hid', vendorId: '0x0400', productId: 50010 })
    expect(ok.devices.idcard).toMatchObject({ kind: 'hid', vendorId: 0x400, productId: 50010 })
  })
})
