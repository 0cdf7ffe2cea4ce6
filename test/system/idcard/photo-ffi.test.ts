/**
 * The WLT photo decoder through koffi FFI, with real shared libraries compiled here from C: a
 * stand-in in each vendor calling style (`unpack` in memory, `GetBmp` through a file) that turns
 * the WLT into a deterministic 102 × 126 BMP, one that crashes, one that hangs, and one built for
 * another architecture. None of the bad ones may take the app down.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionView } from '../../../src/shared/api'
import type { IdCardHolder } from '../../../src/shared/domain'
import { parseConfig } from '../../../src/main/config'
import { createCore } from '../../../src/main/core'
import {
  createWltDecoder,
  readBmpInfo,
  type WltDecoderConfig,
} from '../../../src/main/devices/idcard'
import { silentLogger } from '../../../src/main/log'
import { syntheticWlt } from '../../../src/main/training'

const root = resolve(import.meta.dirname, '../../..')
const sources = join(root, 'test/fixtures/idcard/wlt')
let dir: string
const lib = (name: string) => join(dir, name)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wlt-libs-'))
  for (const [out, src] of [
    ['libwlt2bmp.so', 'unpack.c'],
    ['libgetbmp.so', 'getbmp.c'],
    ['libcrash.so', 'crash.c'],
    ['libhang.so', 'hang.c'],
  ])
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', lib(out!), join(sources, src!)])
  // The same library marked for another machine (aarch64 vs x86-64 and back): dlopen refuses it.
  const elf = readFileSync(lib('libwlt2bmp.so'))
  const machine = elf.readUInt16LE(18)
  elf.writeUInt16LE(machine === 0xb7 ? 0x3e : 0xb7, 18)
  writeFileSync(lib('libwrongarch.so'), elf)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What the stand-in computes, written independently here. */
function expectedBmp(wlt: Uint8Array): Uint8Array {
  const stride = 308
  const out = new Uint8Array(54 + stride * 126)
  const v = new DataView(out.buffer)
  out[0] = 0x42
  out[1] = 0x4d
  v.setUint32(2, out.length, true)
  v.setUint32(10, 54, true)
  v.setUint32(14, 40, true)
  v.setInt32(18, 102, true)
  v.setInt32(22, 126, true)
  v.setUint16(26, 1, true)
  v.setUint16(28, 24, true)
  v.setUint32(34, stride * 126, true)
  for (let y = 0; y < 126; y++) {
    const row = 54 + (125 - y) * stride
    for (let x = 0; x < 102; x++) {
      out[row + x * 3] = wlt[(x + y * 102) % 1024]!
      out[row + x * 3 + 1] = wlt[(x * 3 + y * 7) % 1024]! ^ 0x5a
      out[row + x * 3 + 2] = (x * 2 + y) & 0xff
    }
  }
  return out
}

async function withDecoder<T>(
  config: WltDecoderConfig,
  f: (d: ReturnType<typeof createWltDecoder>) => Promise<T>,
) {
  const decoder = createWltDecoder(config)
  try {
    return await f(decoder)
  } finally {
    await decoder.close()
  }
}

describe('WLT decoding through a vendor library', () => {
  it('unpack style: decodes in memory to the exact bitmap the library makes', async () => {
    await withDecoder({ style: 'unpack', library: lib('libwlt2bmp.so') }, async (d) => {
      for (const seed of ['a', 'b', 'c']) {
        const wlt = syntheticWlt(seed)
        const bmp = await d.decode(wlt)
        expect(readBmpInfo(bmp)).toMatchObject({ width: 102, height: 126, bitsPerPixel: 24 })
        expect(Buffer.from(bmp).equals(Buffer.from(expectedBmp(wlt)))).toBe(true)
      }
    })
  })

  it('GetBmp style: goes through a private file that is gone afterwards', async () => {
    const work = mkdtempSync(join(tmpdir(), 'wlt-work-'))
    try {
      await withDecoder(
        { style: 'getbmp', library: lib('libgetbmp.so'), intf: 2, workDir: work },
        async (d) => {
          const wlt = syntheticWlt('getbmp')
          expect(Buffer.from(await d.decode(wlt)).equals(Buffer.from(expectedBmp(wlt)))).toBe(true)
        },
      )
      expect(readdirSync(work)).toEqual([]) // no WLT or photo left on disk
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('reports the library’s own failure code', async () => {
    await withDecoder({ style: 'getbmp', library: lib('libgetbmp.so'), intf: 7 }, async (d) => {
      await expect(d.decode(syntheticWlt('x'))).rejects.toMatchObject({
        code: 'IDCARD_PHOTO_DECODE_FAILED',
        params: { result: -2 },
      })
    })
  })

  it('survives a library that crashes: a clean error each time, then it is given up on', async () => {
    await withDecoder({ style: 'unpack', library: lib('libcrash.so') }, async (d) => {
      for (let i = 0; i < 3; i++)
        await expect(d.decode(syntheticWlt('x'))).rejects.toMatchObject({
          code: 'IDCARD_PHOTO_DECODER_CRASHED',
        })
      await expect(d.decode(syntheticWlt('x'))).rejects.toMatchObject({
        code: 'IDCARD_PHOTO_DECODER_CRASHED',
      })
    })
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('stops a library that hangs', async () => {
    await withDecoder(
      { style: 'unpack', library: lib('libhang.so'), timeoutMs: 500 },
      async (d) => {
        await expect(d.decode(syntheticWlt('x'))).rejects.toMatchObject({
          code: 'IDCARD_PHOTO_DECODER_TIMEOUT',
        })
      },
    )
  })

  it('refuses a library built for another architecture, saying so', async () => {
    await withDecoder({ style: 'unpack', library: lib('libwrongarch.so') }, async (d) => {
      const error = await d.decode(syntheticWlt('x')).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'IDCARD_PHOTO_DECODER_UNLOADABLE' })
      expect((error as Error).message).toContain('照片解码库无法加载')
    })
  })

  it('in the app: the photo shows when decoded, and a crashing decoder only costs the photo', async () => {
    for (const [library, expected] of [
      ['libwlt2bmp.so', 'decoded'],
      ['libcrash.so', 'failed'],
    ] as const) {
      const core = await createCore({
        config: parseConfig({
          mode: 'training',
          terminal: { id: 'T', unitName: '测试', unitCode: '11410105MB1613052U', region: '410105' },
          devices: {
            idcard: { kind: 'simulated', photoDecoder: { style: 'unpack', library: lib(library) } },
            pollIntervalMs: 50,
          },
        }),
        dataDir: mkdtempSync(join(tmpdir(), 'wlt-core-')),
        resourcesDir: join(root, 'resources'),
        version: 'sys',
        logger: silentLogger,
      })
      const holders: IdCardHolder[] = []
      core.onEvent((e, p) => {
        const h = (p as SessionView).holder
        if (e === 'session' && h?.source === 'idcard') holders.push(h)
      })
      await core.start()
      try {
        for (const [i, id] of ['resident-zhang', 'permit-chen'].entries()) {
          await core.dispatch('training.placeCard', [id])
          const end = Date.now() + 10_000
          while (holders.length < i + 1) {
            if (Date.now() > end) throw new Error(`no holder for ${id}`)
            await new Promise((r) => setTimeout(r, 20))
          }
        }
        expect(holders.map((h) => h.name)).toEqual(['张建国', '陈嘉欣'])
        for (const h of holders) {
          expect(h.photo.state).toBe(expected)
          if (h.photo.state === 'decoded')
            expect(h.photo.dataUrl.startsWith('data:image/bmp;base64,Qk')).toBe(true)
          if (h.photo.state === 'failed') expect(h.photo.reason).toContain('照片解码库异常退出')
        }
      } finally {
        await core.stop()
      }
    }
  })
})
