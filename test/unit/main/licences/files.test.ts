/**
 * Licence files from a library that cannot be trusted to send what it says: sizes, digests,
 * formats and image headers are checked before anything parses the file, and the checks
 * themselves survive random input (fuzzed with a fixed seed, bounded in time).
 */
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { sm3 } from '../../../../src/main/crypto'
import {
  checkOfdContainer,
  createLibraryClient,
  jpegInfo,
  pngInfo,
  safeFileName,
  sniffFile,
  type WireFileRequest,
} from '../../../../src/main/licences'
import { silentLogger } from '../../../../src/main/log'
import { licenceFacePng } from '../../../../src/main/training'

const request: WireFileRequest = {
  licenseIdentifier: '1.2.156.3005.2.X',
  format: 'ofd',
  useReason: '测试',
  serviceItemCode: 'M1',
  operator: { name: 'a', code: 'b', role: 'clerk' },
  terminalId: 'T',
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function client(url: string, maxFileBytes = 1024 * 1024) {
  return createLibraryClient({
    baseUrl: url,
    auth: { kind: 'token', accessId: 'a', token: 't' },
    timeoutMs: 2000,
    retries: 0,
    maxFileBytes,
    logger: silentLogger,
  })
}

function answer(data: Record<string, unknown>): RequestListener {
  return (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code: '0', data }))
}

const bytes = new Uint8Array(Buffer.from('PK\u0003\u0004 a small file'))
const good = {
  licenseIdentifier: request.licenseIdentifier,
  format: 'ofd',
  fileName: 'x.ofd',
  fileSize: bytes.length,
  sm3: Buffer.from(sm3(bytes)).toString('hex'),
  content: Buffer.from(bytes).toString('base64'),
}

describe('files from the library', () => {
  it('accepts a file whose size and SM3 match', async () => {
    const f = await client(await serve(answer(good))).file(request)
    expect(Buffer.from(f.bytes).toString()).toBe('PK\u0003\u0004 a small file')
    expect(f.sm3).toBe(good.sm3)
  })

  it.each([
    ['a digest that does not match', { sm3: 'ab'.repeat(32) }, 'LICENCE_FILE_MISMATCH'],
    ['a size that does not match', { fileSize: 99 }, 'LICENCE_FILE_INVALID'],
    ['a declared size over the limit', { fileSize: 5 * 1024 * 1024 }, 'LICENCE_FILE_TOO_LARGE'],
    ['another licence’s file', { licenseIdentifier: '1.2.156.3005.2.Y' }, 'LIBRARY_BAD_RESPONSE'],
    ['content that is not base64', { content: '<html>' }, 'LIBRARY_BAD_RESPONSE'],
    ['a number for the content', { content: 7 }, 'LIBRARY_BAD_RESPONSE'],
  ])('refuses %s', async (_n, change, code) => {
    await expect(
      client(await serve(answer({ ...good, ...change }))).file(request),
    ).rejects.toMatchObject({
      code,
    })
  })

  it('cuts off a body larger than the largest file allows, without buffering it', async () => {
    const url = await serve((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' })
      r.write('{"code":"0","data":{"content":"')
      const chunk = 'A'.repeat(1 << 16)
      let sent = 0
      const pump = () => {
        while (sent < 64 && r.write(chunk)) sent++
        if (sent < 64) r.once('drain', pump)
        else r.end('"}}')
      }
      pump()
    })
    await expect(client(url, 512 * 1024).file(request)).rejects.toMatchObject({
      code: 'LIBRARY_BAD_RESPONSE',
    })
  })

  it('a 404 is “the library has no file”, not a crash', async () => {
    const url = await serve((_q, r) =>
      r.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"FILE_NOT_FOUND"}'),
    )
    await expect(client(url).file(request)).rejects.toMatchObject({
      code: 'LICENCE_FILE_UNAVAILABLE',
    })
  })
})

describe('format checks', () => {
  it('reads a PNG’s size from its header', () => {
    expect(pngInfo(licenceFacePng('1.2.156.3005.2.X'))).toEqual({
      mediaType: 'image/png',
      width: 840,
      height: 560,
    })
  })

  it('reads a JPEG’s size from its first frame header', () => {
    const jpeg = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0,
      0x02, 0x80, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
    ])
    expect(jpegInfo(jpeg)).toEqual({ mediaType: 'image/jpeg', width: 640, height: 480 })
  })

  it('refuses what is not what it claims', () => {
    const png = licenceFacePng('x')
    expect(() => sniffFile('ofd', png)).toThrow(
      expect.objectContaining({ code: 'LICENCE_FILE_INVALID' }),
    )
    expect(() => sniffFile('jpeg', png)).toThrow(
      expect.objectContaining({ code: 'LICENCE_FILE_INVALID' }),
    )
    expect(() => checkOfdContainer(new TextEncoder().encode('PK\u0003\u0004 truncated'))).toThrow(
      expect.objectContaining({ code: 'LICENCE_FILE_INVALID' }),
    )
  })

  it('makes file names safe for any file system', () => {
    expect(safeFileName('豫（2019）郑州市/不动产权:第"1"号?.ofd')).toBe(
      '豫（2019）郑州市_不动产权_第_1_号_.ofd',
    )
    expect(safeFileName('..\\..\\evil')).toBe('__.._evil')
    expect(safeFileName('\u0000\u0001')).toBe('__')
  })
})

describe('fuzz: the format checks on random and mutated bytes', () => {
  /** xorshift32: the same inputs every run. */
  function rng(seed: number) {
    let x = seed
    return () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 0x100000000
    }
  }

  it('never throws anything but LICENCE_FILE_INVALID, and finishes in bounded time', () => {
    const next = rng(0x5eed)
    const seeds = [
      licenceFacePng('fuzz'),
      Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ]
    const started = performance.now()
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      let input: Uint8Array
      if (i % 3 === 0) {
        input = new Uint8Array(Math.floor(next() * 300))
        for (let j = 0; j < input.length; j++) input[j] = Math.floor(next() * 256)
      } else {
        const seed = seeds[i % seeds.length]!
        input = seed.slice(0, Math.max(1, Math.floor(next() * Math.min(seed.length, 400))))
        for (let k = 0; k < 4; k++)
          input[Math.floor(next() * input.length)] = Math.floor(next() * 256)
      }
      for (const format of ['ofd', 'png', 'jpeg'] as const) {
        try {
          sniffFile(format, input)
          accepted++
        } catch (error) {
          expect((error as { code?: string }).code).toBe('LICENCE_FILE_INVALID')
        }
      }
    }
    expect(accepted).toBeGreaterThan(0)
    expect(performance.now() - started).toBeLessThan(20_000)
  })
})
