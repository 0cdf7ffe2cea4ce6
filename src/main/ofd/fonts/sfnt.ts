/**
 * The sfnt container (TrueType / OpenType) at table level: read the table directory, write a font
 * back from tables with correct checksums, and rebuild the `name` table. Enough to rename a subset
 * (the SIL OFL asks modified fonts not to carry reserved names) without touching outlines.
 */

export interface SfntTables {
  /** 0x00010000 for TrueType outlines, 'OTTO' for CFF. */
  readonly flavor: number
  readonly tables: Map<string, Uint8Array>
}

function tag(view: DataView, at: number): string {
  return String.fromCharCode(
    view.getUint8(at),
    view.getUint8(at + 1),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
  )
}

export function readSfnt(font: Uint8Array): SfntTables {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength)
  if (font.length < 12) throw new RangeError('font too short')
  const flavor = view.getUint32(0)
  if (flavor !== 0x00010000 && flavor !== 0x4f54544f && flavor !== 0x74727565)
    throw new RangeError('not a TrueType/OpenType font')
  const count = view.getUint16(4)
  if (12 + count * 16 > font.length) throw new RangeError('table directory truncated')
  const tables = new Map<string, Uint8Array>()
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16
    const offset = view.getUint32(at + 8)
    const length = view.getUint32(at + 12)
    if (offset + length > font.length) throw new RangeError('table out of range')
    tables.set(tag(view, at), font.subarray(offset, offset + length))
  }
  return { flavor, tables }
}

function checksum(data: Uint8Array): number {
  let sum = 0
  const padded = data.length % 4 === 0 ? data : concatPad(data)
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength)
  for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0
  return sum
}

function concatPad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length + 3) & ~3)
  out.set(data)
  return out
}

/** Writes tables into a font file, sorted by tag, with checksums and head.checkSumAdjustment. */
export function writeSfnt(font: SfntTables): Uint8Array {
  const tags = [...font.tables.keys()].sort()
  const count = tags.length
  let searchRange = 1
  let entrySelector = 0
  while (searchRange * 2 <= count) {
    searchRange *= 2
    entrySelector++
  }
  searchRange *= 16
  let size = 12 + count * 16
  const offsets: number[] = []
  for (const t of tags) {
    offsets.push(size)
    size += (font.tables.get(t)!.length + 3) & ~3
  }
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  view.setUint32(0, font.flavor)
  view.setUint16(4, count)
  view.setUint16(6, searchRange)
  view.setUint16(8, entrySelector)
  view.setUint16(10, count * 16 - searchRange)
  let headOffset = -1
  tags.forEach((t, i) => {
    let data = font.tables.get(t)!
    if (t === 'head') {
      data = data.slice()
      new DataView(data.buffer).setUint32(8, 0) // checkSumAdjustment is computed last
      headOffset = offsets[i]!
    }
    const at = 12 + i * 16
    for (let k = 0; k < 4; k++) view.setUint8(at + k, t.charCodeAt(k))
    view.setUint32(at + 4, checksum(data))
    view.setUint32(at + 8, offsets[i]!)
    view.setUint32(at + 12, data.length)
    out.set(data, offsets[i]!)
  })
  if (headOffset >= 0) view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0)
  return out
}

export interface NameRecord {
  readonly nameId: number
  readonly value: string
}

/** The Windows-platform (3, 1, en-US) strings of a `name` table, by name ID. */
export function readNames(name: Uint8Array): Map<number, string> {
  const view = new DataView(name.buffer, name.byteOffset, name.byteLength)
  const out = new Map<number, string>()
  const count = view.getUint16(2)
  const storage = view.getUint16(4)
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12
    if (at + 12 > name.length) break
    const platform = view.getUint16(at)
    const encoding = view.getUint16(at + 2)
    const language = view.getUint16(at + 4)
    const id = view.getUint16(at + 6)
    const length = view.getUint16(at + 8)
    const offset = view.getUint16(at + 10)
    if (platform !== 3 || encoding !== 1 || language !== 0x409) continue
    const start = storage + offset
    if (start + length > name.length) continue
    let s = ''
    for (let k = 0; k < length; k += 2) s += String.fromCharCode(view.getUint16(start + k))
    out.set(id, s)
  }
  return out
}

/** A format-0 `name` table with Windows (3, 1, en-US) records only. */
export function buildNameTable(records: readonly NameRecord[]): Uint8Array {
  const sorted = [...records].sort((a, b) => a.nameId - b.nameId)
  const strings = sorted.map((r) => {
    const bytes = new Uint8Array(r.value.length * 2)
    const v = new DataView(bytes.buffer)
    for (let i = 0; i < r.value.length; i++) v.setUint16(i * 2, r.value.charCodeAt(i))
    return bytes
  })
  const storage = 6 + sorted.length * 12
  const total = storage + strings.reduce((n, s) => n + s.length, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint16(0, 0)
  view.setUint16(2, sorted.length)
  view.setUint16(4, storage)
  let offset = 0
  sorted.forEach((r, i) => {
    const at = 6 + i * 12
    view.setUint16(at, 3)
    view.setUint16(at + 2, 1)
    view.setUint16(at + 4, 0x409)
    view.setUint16(at + 6, r.nameId)
    view.setUint16(at + 8, strings[i]!.length)
    view.setUint16(at + 10, offset)
    out.set(strings[i]!, storage + offset)
    offset += strings[i]!.length
  })
  return out
}
