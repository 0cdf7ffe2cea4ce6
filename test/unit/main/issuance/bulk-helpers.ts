/**
 * Bulk lists as Excel on Chinese Windows writes them, for the bulk tests: CSV text, encoded as
 * UTF-8 (with or without the mark) or GB18030. Node can decode GB18030 but not encode it, so the
 * encoder is the decoder inverted over the two-byte range (every Chinese character used here).
 */
import { citizenIdCheckChar } from '../../../../src/shared/ids'

let table: Map<string, number[]> | undefined

function gbTable(): Map<string, number[]> {
  if (table) return table
  table = new Map()
  const decoder = new TextDecoder('gb18030')
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      const ch = decoder.decode(new Uint8Array([lead, trail]))
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [lead, trail])
    }
  return table
}

export function encodeGb18030(text: string): Uint8Array {
  const out: number[] = []
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code < 0x80) out.push(code)
    else {
      const bytes = gbTable().get(ch)
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`)
      out.push(...bytes)
    }
  }
  return new Uint8Array(out)
}

export function utf8(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text)
  return bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body
}

/** A citizen ID number with the right MOD 11-2 check character. */
export function citizenId(first17: string): string {
  return first17 + citizenIdCheckChar(first17)
}

/** One CSV line as Excel writes it: cells with a comma, quote or line break quoted. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')
}

export function csv(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join('\r\n') + '\r\n'
}

export const RESIDENCE = '11100000000013338W011'
export const FOOD = '11100000000018569J006'

/** The residence permit's list header, as a supervisor would write it (labels, Chinese). */
export const RESIDENCE_HEADER = [
  '持证主体',
  '持证主体代码类型',
  '持证主体代码',
  '居住地址',
  '居住起始日期',
  '联系电话',
  '签发派出所',
  '有效期起始',
  '有效期截止',
]

export const PEOPLE = [
  { name: '李红梅', id: citizenId('41010519850315002') },
  { name: '王建军', id: citizenId('41010219790921003') },
  { name: '赵晓燕', id: citizenId('41010320000101004') },
  { name: '孙志强', id: citizenId('41010519920606005') },
] as const

export function residenceRow(i: number, patch: Partial<Record<string, string>> = {}): string[] {
  const p = PEOPLE[i % PEOPLE.length]!
  const base: Record<string, string> = {
    持证主体: p.name,
    持证主体代码类型: '111',
    持证主体代码: p.id,
    居住地址: `河南省郑州市金水区花园路${10 + i}号院`,
    居住起始日期: '2025/9/1',
    联系电话: '13800138000',
    签发派出所: '金水区花园路派出所',
    有效期起始: '2026-04-03',
    有效期截止: '',
  }
  return RESIDENCE_HEADER.map((h) => patch[h] ?? base[h]!)
}
