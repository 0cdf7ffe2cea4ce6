/**
 * Chips read through the real PC/SC stack: pcscd with the vpcd virtual reader, our simulator on
 * the card side of vpcd's socket, and the app's koffi transport on the other. BAC and PACE,
 * a tampered data group and an unknown CSCA, hot card insertion and removal through the
 * reader driver in a production-mode core, and the CLI as a separate process.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/main/config'
import { createCore, type Core } from '../../../src/main/core'
import {
  anchorsFrom,
  atrExtendedLength,
  buildDocument,
  parseCertificate,
  readChip,
  type ChipRead,
} from '../../../src/main/devices/emrtd'
import {
  cardPresent,
  PcscContext,
  STATE,
  type ReaderState,
} from '../../../src/main/devices/transports/pcsc'
import { silentLogger } from '../../../src/main/log'
import {
  chipImage,
  EmrtdChip,
  emrtdTrainingPki,
  trainingDocument,
  VpcdCard,
  type ChipImage,
  type ChipOptions,
} from '../../../src/main/training/emrtd-sim'
import { pem } from '../../../src/main/training/emrtd-sim'
import { ensurePcscd, VPCD_READER, type Pcscd } from './pcscd'

const root = resolve(import.meta.dirname, '../../..')
let pcscd: Pcscd

beforeAll(async () => {
  pcscd = await ensurePcscd()
}, 60_000)
afterAll(async () => {
  await pcscd?.stop()
})

const anchors = () => anchorsFrom([parseCertificate(emrtdTrainingPki().csca.certificate)])

async function image(id: string): Promise<ChipImage> {
  return chipImage(trainingDocument(id)!)
}

async function waitCard(ctx: PcscContext, present: boolean): Promise<Uint8Array> {
  let state: ReaderState = { reader: VPCD_READER, state: STATE.UNAWARE, atr: new Uint8Array(0) }
  for (let i = 0; i < 50; i++) {
    const r = await ctx.waitForChange([state], 500)
    state = r.states[0]!
    if (cardPresent(state.state) === present) return state.atr
  }
  throw new Error(`card never became ${present ? 'present' : 'absent'}`)
}

/** Places the chip on vpcd, reads it through PC/SC, lifts it. */
async function readThroughPcsc(
  img: ChipImage,
  key = { kind: 'mrz' as const, mrzInfo: img.mrzInfo },
  chipOptions: ChipOptions = {},
) {
  const card = new VpcdCard(new EmrtdChip(img, chipOptions), { port: pcscd.vpcdPort })
  const ctx = await PcscContext.establish()
  try {
    await card.insert()
    const atr = await waitCard(ctx, true)
    const pc = await ctx.connect(VPCD_READER)
    let read: ChipRead
    try {
      read = await readChip(
        { transmit: (a) => pc.transmit(a), extendedApdu: pc.extendedApdu },
        { key, extendedLength: atrExtendedLength(pc.atr) },
      )
    } finally {
      await pc.disconnect()
    }
    expect(Buffer.from(atr).toString('hex')).toBe(Buffer.from(pc.atr).toString('hex'))
    return { read, card }
  } finally {
    await card.remove()
    await waitCard(ctx, false).catch(() => undefined)
    await ctx.release()
  }
}

describe('reading through pcscd and vpcd', () => {
  it('BAC: the CS permit, every file intact, RSA active authentication, genuine', async () => {
    const img = await image('permit-cs-wang')
    const { read, card } = await readThroughPcsc(img)
    expect(read.accessControl).toBe('BAC')
    expect(read.activeAuthentication.state).toBe('passed')
    for (const [name, bytes] of read.files) expect(bytes, name).toEqual(img.files.get(name))
    expect(card.apdus).toBe(read.apduCount)
    expect(buildDocument(read.files, anchors()).passive.verdict).toBe('genuine')
  })

  it('PACE with Chip Authentication and extended-length reads: the passport, genuine', async () => {
    const img = await image('passport-liu')
    const { read } = await readThroughPcsc(img)
    expect(read.accessControl).toBe('PACE')
    expect(read.chipAuthentication.state).toBe('passed')
    expect(read.extendedLength).toBe(true)
    const doc = buildDocument(read.files, anchors())
    expect(doc.passive).toMatchObject({ verdict: 'genuine', valid: true })
    expect(doc.faces[0]?.format).toBe('jpeg2000')
  })

  it('PACE with the CAN', async () => {
    const img = await image('permit-cr-wong')
    const { read } = await readThroughPcsc(img, undefined)
    expect(read.accessControl).toBe('PACE')
    const viaCan = await readThroughPcsc(img, { kind: 'can', can: img.can } as never)
    expect(viaCan.read.accessControl).toBe('PACE')
  })

  it('detects a tampered data group and an unknown CSCA', async () => {
    const tampered = buildDocument(
      (await readThroughPcsc(await image('passport-liu-tampered'))).read.files,
      anchors(),
    )
    expect(tampered.passive).toMatchObject({ verdict: 'altered', reason: 'hash-mismatch-dg1' })
    const foreign = buildDocument(
      (await readThroughPcsc(await image('passport-foreign'))).read.files,
      anchors(),
    )
    expect(foreign.passive).toMatchObject({ verdict: 'unknown-csca', signatureValid: true })
  })

  it('a chip without extended length is read in short blocks', async () => {
    const img = await image('permit-cs-wang')
    const { read } = await readThroughPcsc(img, undefined, { noExtendedLength: true })
    expect(read.extendedLength).toBe(false)
    for (const [name, bytes] of read.files) expect(bytes, name).toEqual(img.files.get(name))
  })
})

describe('the reader as a device in a production-mode core', () => {
  let core: Core
  beforeAll(async () => {
    const config = parseConfig({
      mode: 'production',
      terminal: {
        id: 'SYS-EMRTD',
        unitName: '测试单位',
        unitCode: '11410105MB1613052U',
        region: '410105',
      },
      library: {
        baseUrl: 'http://127.0.0.1:9',
        auth: { kind: 'token', accessId: 'x', token: 'y' },
      },
      devices: { idcard: { kind: 'none' } },
      emrtd: { reader: { kind: 'pcsc', name: 'Virtual PCD 00 00' } },
    })
    core = await createCore({
      config,
      dataDir: mkdtempSync(join(tmpdir(), 'sys-emrtd-')),
      resourcesDir: join(root, 'resources'),
      version: 'sys',
      logger: silentLogger,
    })
    await core.start()
  }, 60_000)
  afterAll(async () => {
    await core?.stop()
  })

  const state = async () =>
    (
      (await core.dispatch('emrtd.state', [])) as {
        value: { phase: string; chipPresent: boolean; readerPresent: boolean }
      }
    ).value
  const until = async (check: () => Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms
    while (Date.now() < end) {
      if (await check()) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('timed out')
  }

  it('asks for the key when a chip is placed, reads it, identifies the holder, forgets them when lifted', async () => {
    await until(async () => (await state()).readerPresent)
    expect(
      (await core.handlers.app.status()).devices.find((d) => d.kind === 'emrtd'),
    ).toMatchObject({
      state: 'ready',
      simulated: false,
    })
    const img = await image('passport-liu')
    const imported = await core.dispatch('emrtd.cscaImport', [
      {
        name: 'csca.pem',
        base64: Buffer.from(pem(emrtdTrainingPki().csca.certificate)).toString('base64'),
      },
    ])
    // Production mode: only an administrator may import.
    expect(imported).toMatchObject({ ok: false, error: { code: 'ROLE_ADMIN_REQUIRED' } })

    const card = new VpcdCard(new EmrtdChip(img), { port: pcscd.vpcdPort })
    await card.insert()
    try {
      await until(async () => (await state()).phase === 'need-key')
      const r = await core.dispatch('emrtd.setKey', [{ kind: 'mrz', lines: img.printedMrz }])
      expect(r).toMatchObject({ ok: true })
      await until(async () => (await state()).phase === 'done')
      const session = await core.handlers.session.current()
      expect(session.holder).toMatchObject({
        source: 'emrtd',
        documentType: 'passport',
        holderTypeCode: '414',
        name: '刘芳',
        chip: {
          accessControl: 'PACE',
          passive: { verdict: 'unknown-csca' },
          chipAuthentication: { state: 'passed' },
        },
      })
    } finally {
      await card.remove()
    }
    await until(async () => (await core.handlers.session.current()).holder === null)
    expect((await state()).chipPresent).toBe(false)
  })
})

describe('the CLI through PC/SC', () => {
  it('emrtd readers and emrtd read --reader, writing the raw files that emrtd verify checks', async () => {
    const img = await image('permit-cs-wang')
    const card = new VpcdCard(new EmrtdChip(img), { port: pcscd.vpcdPort })
    await card.insert()
    const tsx = join(root, 'node_modules/.bin/tsx')
    // The CLI runs as its own process while the simulated card answers from this one: never block it.
    const cli = (...args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((done) =>
        execFile(
          tsx,
          [join(root, 'src/main/cli.ts'), ...args],
          { cwd: root, env: process.env },
          (error, stdout, stderr) =>
            done({
              status: error ? Number((error as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr,
            }),
        ),
      )
    const out = mkdtempSync(join(tmpdir(), 'emrtd-cli-'))
    try {
      await new Promise((r) => setTimeout(r, 500))
      const list = await cli('emrtd', 'readers')
      expect(list.status).toBe(0)
      expect(JSON.parse(list.stdout).readers).toContainEqual(
        expect.objectContaining({ name: VPCD_READER, card: true, extendedLength: true }),
      )
      const read = await cli(
        'emrtd',
        'read',
        '--reader',
        'Virtual PCD 00 00',
        '--mrz-info',
        img.mrzInfo,
        '--out',
        out,
      )
      expect(read.status, read.stderr).toBe(0)
      const json = JSON.parse(read.stdout)
      expect(json).toMatchObject({
        accessControl: 'BAC',
        passive: { verdict: 'unknown-csca' },
        document: { chineseName: '王晓东' },
      })
      expect(Buffer.from(json.files.DG1, 'base64')).toEqual(Buffer.from(img.files.get('DG1')!))
      expect(readdirSync(out).sort()).toEqual(['COM', 'DG1', 'DG11', 'DG12', 'DG15', 'DG2', 'SOD'])
    } finally {
      await card.remove()
    }
    const cscaFile = join(out, 'csca.pem')
    writeFileSync(cscaFile, pem(emrtdTrainingPki().csca.certificate))
    const verify = await cli('emrtd', 'verify', '--dir', out, '--csca', cscaFile)
    expect(verify.status).toBe(0)
    expect(JSON.parse(verify.stdout).passive).toMatchObject({
      valid: true,
      dataGroups: { '1': true, '2': true },
      reason: null,
    })
  })
})
