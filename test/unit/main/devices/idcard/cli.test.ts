/**
 * `cli idcard decode --hex`: every card type to JSON, and typed JSON errors with a non-zero exit.
 * `cli idcard read` and `sim`: options that are not what they must be are refused as typed.
 */
import { describe, expect, it } from 'vitest'
import { runCli, type CommandContext } from '../../../../../src/main/commands'
import { encodeResponse } from '../../../../../src/main/devices/idcard'
import { encodeIdCardText, syntheticWlt, trainingCard } from '../../../../../src/main/training'
import { toHex } from './helpers'

async function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const ctx: CommandContext = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    resourcesDir: '',
    interrupted: new Promise(() => undefined),
  }
  const code = await runCli(argv, ctx)
  return { code, json: out ? JSON.parse(out) : undefined, err }
}

function readFrame(cardId: string): Uint8Array {
  const text = encodeIdCardText(trainingCard(cardId)!.text)
  const data = Uint8Array.from([0x01, 0x00, 0x04, 0x00, ...text, ...syntheticWlt(cardId)])
  return encodeResponse(0x90, data)
}

describe('cli idcard decode', () => {
  it('prints the resident card’s fields', async () => {
    const { code, json } = await cli('idcard', 'decode', '--hex', toHex(readFrame('resident-li')))
    expect(code).toBe(0)
    expect(json).toMatchObject({
      type: 'resident',
      name: '李秀兰',
      sex: 'female',
      nation: '回',
      nationCode: '03',
      birth: '1962-11-03',
      address: '河南省开封市顺河回族区东大街清真寺街17号',
      idNumber: '410203196211031020',
      idNumberCheckOk: true,
      authority: '开封市公安局顺河分局',
      validFrom: '2012-08-20',
      validTo: 'long-term',
      photo: { format: 'wlt', bytes: 1024 },
      fingerprints: null,
    })
  })

  it('adds pass number and issue count for a J card', async () => {
    const { json } = await cli('idcard', 'decode', '--hex', toHex(readFrame('permit-chen')))
    expect(json).toMatchObject({ type: 'J', passNumber: 'H60412785', issueCount: '01' })
  })

  it('adds English name and nationality for I and Y cards', async () => {
    const i = (await cli('idcard', 'decode', '--hex', toHex(readFrame('foreigner-smith-2017'))))
      .json
    expect(i).toMatchObject({
      type: 'I',
      name: '史密斯',
      englishName: 'SMITH, MICHAEL JOHN',
      nationality: 'USA',
      nationalityName: '美国',
      idNumber: 'USA410185051201',
      idNumberCheckOk: null,
      cardVersion: '01',
    })
    const y = (await cli('idcard', 'decode', '--hex', toHex(readFrame('foreigner-garcia-2023'))))
      .json
    expect(y).toMatchObject({
      type: 'Y',
      englishName: 'GARCIA MARIA',
      nationality: 'ESP',
      nationalityName: '西班牙',
      renewalCount: '00',
      idNumberCheckOk: true,
    })
  })

  it('flags a failed check digit without refusing the card', async () => {
    const { code, json } = await cli(
      'idcard',
      'decode',
      '--hex',
      toHex(readFrame('resident-zhao-badcheck')),
    )
    expect(code).toBe(0)
    expect(json.idNumberCheckOk).toBe(false)
  })

  it.each([
    [
      'a bad checksum',
      (f: Uint8Array) => f.map((b, i) => (i === f.length - 1 ? b ^ 1 : b)),
      'IDCARD_FRAME_BAD_CHECKSUM',
    ],
    [
      'a bad length',
      (f: Uint8Array) => f.map((b, i) => (i === 6 ? b + 1 : b)),
      'IDCARD_FRAME_TRUNCATED',
    ],
    ['a truncated frame', (f: Uint8Array) => f.slice(0, 700), 'IDCARD_FRAME_TRUNCATED'],
    ['trailing bytes', (f: Uint8Array) => Uint8Array.from([...f, 0]), 'IDCARD_FRAME_BAD_LENGTH'],
    [
      'an unknown type flag',
      (f: Uint8Array) => {
        const g = f.slice()
        g[14 + 248] = 0x51 // 'Q': header 7, SW 3, length words 4, then the text
        g[g.length - 1] = g.subarray(5, g.length - 1).reduce((x, b) => x ^ b, 0)
        return g
      },
      'IDCARD_TEXT_UNKNOWN_TYPE',
    ],
  ])('exits non-zero with a JSON error code for %s', async (_n, mutate, code) => {
    const r = await cli('idcard', 'decode', '--hex', toHex(mutate(readFrame('resident-zhang'))))
    expect(r.code).not.toBe(0)
    expect(r.json.error.code).toBe(code)
    expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/)
  })

  it('refuses text that is not hex', async () => {
    const r = await cli('idcard', 'decode', '--hex', 'AA AA ZZ')
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('IDCARD_HEX_INVALID')
  })
})

describe('cli idcard read and sim refuse options they cannot use', () => {
  it.each([
    [['idcard', 'read', '--port', 'COM9', '--timeout', '3O'], '--timeout'],
    [['idcard', 'read', '--port', 'COM9', '--timeout', '-5'], '--timeout'],
    [['idcard', 'read', '--port', 'COM9', '--baud', '12345'], '--baud'],
    [['idcard', 'sim', '--pty', '--rf', 'slow'], '--rf'],
    [['idcard', 'sim', '--pty', '--fault', 'bogus'], 'bogus'],
    [['idcard', 'sim', '--pty', '--fault', 'readFail=twice'], 'readFail'],
    [['idcard', 'sim', '--pty', '--fault', 'slowRf=on'], 'slowRf'],
  ])('%j: exit 64 with a usage error naming %s, before any port is opened', async (argv, named) => {
    const r = await cli(...argv)
    expect(r.code).toBe(64)
    expect(r.json.error.code).toBe('CLI_USAGE')
    expect(r.json.error.message).toContain(named)
    expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/)
  })
})
