import { deflateSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { isCounterError } from '../../../../src/shared/errors'
import { DEFAULT_LIMITS, type OfdLimits } from '../../../../src/main/ofd'
import { normaliseEntryName, ZipArchive } from '../../../../src/main/ofd/package/zip'

const enc = (s: string) => new TextEncoder().encode(s)
const limits = (over: Partial<OfdLimits> = {}): OfdLimits => ({ ...DEFAULT_LIMITS, ...over })

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (isCounterError(error)) return error.code
    throw error
  }
  return 'no error'
}

/** Offsets of the central directory records and local headers of a zip, for patching. */
function layout(zip: Uint8Array): { central: number[]; local: number[] } {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const central: number[] = []
  const local: number[] = []
  for (let i = 0; i + 4 <= zip.length; i++) {
    const sig = v.getUint32(i, true)
    if (sig === 0x02014b50) central.push(i)
    if (sig === 0x04034b50) local.push(i)
  }
  return { central, local }
}

/** A single stored or deflated entry written by hand, with sizes we choose. */
function handZip(
  name: string,
  data: Uint8Array,
  opts: { method?: 0 | 8; declaredSize?: number; crc?: number; flags?: number } = {},
) {
  const method = opts.method ?? 8
  const body = method === 8 ? deflateSync(data) : data
  const nameBytes = enc(name)
  const crc = opts.crc ?? crcOf(data)
  const size = opts.declaredSize ?? data.length
  const localHeader = new Uint8Array(30 + nameBytes.length)
  const lv = new DataView(localHeader.buffer)
  lv.setUint32(0, 0x04034b50, true)
  lv.setUint16(6, opts.flags ?? 0, true)
  lv.setUint16(8, method, true)
  lv.setUint32(14, crc, true)
  lv.setUint32(18, body.length, true)
  lv.setUint32(22, size, true)
  lv.setUint16(26, nameBytes.length, true)
  localHeader.set(nameBytes, 30)
  const central = new Uint8Array(46 + nameBytes.length)
  const cv = new DataView(central.buffer)
  cv.setUint32(0, 0x02014b50, true)
  cv.setUint16(8, opts.flags ?? 0, true)
  cv.setUint16(10, method, true)
  cv.setUint32(16, crc, true)
  cv.setUint32(20, body.length, true)
  cv.setUint32(24, size, true)
  cv.setUint16(28, nameBytes.length, true)
  cv.setUint32(42, 0, true)
  central.set(nameBytes, 46)
  const eocd = new Uint8Array(22)
  const ev = new DataView(eocd.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, 1, true)
  ev.setUint16(10, 1, true)
  ev.setUint32(12, central.length, true)
  ev.setUint32(16, localHeader.length + body.length, true)
  const out = new Uint8Array(localHeader.length + body.length + central.length + eocd.length)
  out.set(localHeader, 0)
  out.set(body, localHeader.length)
  out.set(central, localHeader.length + body.length)
  out.set(eocd, localHeader.length + body.length + central.length)
  return out
}

function crcOf(d: Uint8Array): number {
  let c = ~0
  for (const b of d) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  return ~c >>> 0
}

describe('the OFD zip container', { timeout: 60_000 }, () => {
  it('reads entries, case-insensitively when the exact name is missing', () => {
    const zip = ZipArchive.open(
      zipSync({ 'OFD.xml': enc('<a/>'), 'Doc_0/Document.xml': enc('<b/>') }),
      limits(),
    )
    expect(zip.names()).toEqual(['OFD.xml', 'Doc_0/Document.xml'])
    expect(new TextDecoder().decode(zip.read('doc_0/document.XML'))).toBe('<b/>')
    expect(codeOf(() => zip.read('nope.xml'))).toBe('OFD_PART_MISSING')
  })

  it('normalises names and refuses those that leave the package', () => {
    expect(normaliseEntryName('Doc_0\\Pages\\.\\Page_0/../Page_1/Content.xml')).toBe(
      'Doc_0/Pages/Page_1/Content.xml',
    )
    expect(codeOf(() => normaliseEntryName('../evil.xml'))).toBe('OFD_ZIP_UNSAFE')
    expect(codeOf(() => normaliseEntryName('Doc_0/../../etc/passwd'))).toBe('OFD_ZIP_UNSAFE')
    expect(codeOf(() => normaliseEntryName('C:/Windows/win.ini'))).toBe('OFD_ZIP_UNSAFE')
    expect(codeOf(() => normaliseEntryName('a\0b'))).toBe('OFD_ZIP_UNSAFE')
    expect(codeOf(() => ZipArchive.open(handZip('../../escape.xml', enc('x')), limits()))).toBe(
      'OFD_ZIP_UNSAFE',
    )
  })

  it('refuses two entries under one name', () => {
    const zip = zipSync({ 'OFD.xml': enc('<a/>'), 'OFD.xmm': enc('<b/>') })
    const { central, local } = layout(zip)
    // Rename the second entry to the first's name, in both headers.
    zip[local[1]! + 30 + 6] = 0x6c
    zip[central[1]! + 46 + 6] = 0x6c
    expect(codeOf(() => ZipArchive.open(zip, limits()))).toBe('OFD_ZIP_UNSAFE')
  })

  it('refuses entries that share their bytes (overlapping-file zip bombs)', () => {
    const zip = zipSync({ 'a.xml': enc('<a/>'), 'b.xml': enc('<b/>') })
    const { central } = layout(zip)
    new DataView(zip.buffer).setUint32(central[1]! + 42, 0, true)
    expect(codeOf(() => ZipArchive.open(zip, limits()))).toBe('OFD_ZIP_UNSAFE')
  })

  it('stops inflating the moment an entry passes its declared size', () => {
    const big = new Uint8Array(24 * 1024 * 1024) // 24 MiB of zeros deflates to ~24 KiB
    const bomb = handZip('OFD.xml', big, { declaredSize: 1000, crc: 0 })
    const zip = ZipArchive.open(bomb, limits())
    const before = process.memoryUsage().rss
    const start = performance.now()
    expect(codeOf(() => zip.read('OFD.xml'))).toBe('OFD_ZIP_UNSAFE')
    expect(performance.now() - start).toBeLessThan(5000)
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024)
  })

  it('refuses entries declared too large, too compressed, or too many', () => {
    const bigZip = handZip('x', new Uint8Array(2 * 1024 * 1024))
    expect(
      codeOf(() => ZipArchive.open(bigZip, limits({ maxEntryBytes: 1024 * 1024 })).read('x')),
    ).toBe('OFD_ZIP_UNSAFE')
    expect(codeOf(() => ZipArchive.open(bigZip, limits({ maxRatio: 50 })).read('x'))).toBe(
      'OFD_ZIP_UNSAFE',
    )
    const zip = ZipArchive.open(bigZip, limits({ maxTotalBytes: 1024 * 1024 }))
    expect(codeOf(() => zip.read('x'))).toBe('OFD_ZIP_UNSAFE')
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`f${i}.xml`, enc('<a/>')]),
    )
    expect(codeOf(() => ZipArchive.open(zipSync(many), limits({ maxEntries: 10 })))).toBe(
      'OFD_ZIP_UNSAFE',
    )
  })

  it('checks CRC-32 and sizes, and says what is wrong', () => {
    expect(
      codeOf(() => ZipArchive.open(handZip('a', enc('hello'), { crc: 1234 }), limits()).read('a')),
    ).toBe('OFD_ZIP_CORRUPT')
    expect(
      codeOf(() =>
        ZipArchive.open(handZip('a', enc('hello'), { method: 0, declaredSize: 3 }), limits()).read(
          'a',
        ),
      ),
    ).toBe('OFD_ZIP_CORRUPT')
    const short = handZip('a', enc('hello world hello world'), { declaredSize: 40 })
    expect(codeOf(() => ZipArchive.open(short, limits()).read('a'))).toBe('OFD_ZIP_CORRUPT')
  })

  it('refuses encrypted entries and unknown methods', () => {
    expect(
      codeOf(() => ZipArchive.open(handZip('a', enc('x'), { flags: 1 }), limits()).read('a')),
    ).toBe('OFD_ZIP_UNSUPPORTED')
    const zip = handZip('a', enc('x'), { method: 0 })
    const { central, local } = layout(zip)
    new DataView(zip.buffer).setUint16(central[0]! + 10, 12, true) // bzip2
    new DataView(zip.buffer).setUint16(local[0]! + 8, 12, true)
    expect(codeOf(() => ZipArchive.open(zip, limits()).read('a'))).toBe('OFD_ZIP_UNSUPPORTED')
  })

  it('tells a non-zip and a truncated zip from a damaged one', () => {
    expect(codeOf(() => ZipArchive.open(enc('%PDF-1.7 not a zip at all'), limits()))).toBe(
      'OFD_NOT_OFD',
    )
    expect(codeOf(() => ZipArchive.open(new Uint8Array(10), limits()))).toBe('OFD_NOT_OFD')
    const zip = zipSync({ 'OFD.xml': enc('<a/>') })
    expect(codeOf(() => ZipArchive.open(zip.subarray(0, zip.length - 30), limits()))).toMatch(
      /OFD_NOT_OFD|OFD_ZIP_CORRUPT/,
    )
    const v = new DataView(zip.buffer)
    const { central } = layout(zip)
    v.setUint32(zip.length - 6, central[0]! + 1000, true) // central directory offset past the end
    expect(codeOf(() => ZipArchive.open(zip, limits()))).toBe('OFD_ZIP_CORRUPT')
  })

  it('decodes GBK names written without the UTF-8 flag', () => {
    const gbkName = Uint8Array.of(0xd6, 0xa4, 0xd5, 0xd5, 0x2e, 0x78, 0x6d, 0x6c) // 证照.xml in GBK
    const zip = handZip('abcdef.x', enc('<a/>'))
    const { central, local } = layout(zip)
    zip.set(gbkName, local[0]! + 30)
    zip.set(gbkName, central[0]! + 46)
    expect(ZipArchive.open(zip, limits()).names()).toEqual(['证照.xml'])
  })
})
