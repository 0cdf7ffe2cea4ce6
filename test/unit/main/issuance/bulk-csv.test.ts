/**
 * Reading bulk lists: the encodings Excel on Chinese Windows writes, RFC 4180 quoting with
 * embedded commas, quotes and line breaks, the bounds — and hostile input, fuzzed: whatever the
 * bytes, the result is a table or a typed ISSUANCE_BULK_* error, never anything else.
 */
import { describe, expect, it } from 'vitest'
import { BULK_LIMITS } from '../../../../src/shared/domain'
import { isCounterError } from '../../../../src/shared/errors'
import { columnLetter, decodeCsvBytes, parseCsv, readBulkCsv } from '../../../../src/main/issuance'
import { csv, encodeGb18030, utf8 } from './bulk-helpers'

const TEXT = csv([
  ['持证主体', '居住地址', '备注'],
  ['李红梅', '郑州市金水区花园路38号院', ''],
])

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (isCounterError(error)) return error.code
    throw error
  }
  return 'ok'
}

describe('encodings', () => {
  it('reads UTF-8 with and without the byte-order mark, and GB18030', () => {
    for (const [bytes, encoding] of [
      [utf8(TEXT, true), 'utf-8-bom'],
      [utf8(TEXT), 'utf-8'],
      [encodeGb18030(TEXT), 'gb18030'],
    ] as const) {
      const table = readBulkCsv(bytes)
      expect(table.encoding).toBe(encoding)
      expect(table.header.cells[0]).toBe('持证主体')
      expect(table.records).toEqual([{ row: 2, cells: ['李红梅', '郑州市金水区花园路38号院', ''] }])
    }
  })

  it('decodes GB18030 four-byte characters (rare name characters) and drops its mark', () => {
    // 𠮷 (U+20BB7) is 95 34 B2 35; the GB18030 byte-order mark is 84 31 95 33.
    const bytes = new Uint8Array([
      0x84,
      0x31,
      0x95,
      0x33,
      ...encodeGb18030('姓名\r\n'),
      0x95,
      0x34,
      0xb2,
      0x35,
      ...encodeGb18030('子\r\n'),
    ])
    const table = readBulkCsv(bytes)
    expect(table).toMatchObject({ encoding: 'gb18030', header: { cells: ['姓名'] } })
    expect(table.records[0]!.cells).toEqual(['𠮷子'])
  })

  it('says what a file is when it is not a CSV', () => {
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2])))).toBe(
      'ISSUANCE_BULK_NOT_CSV',
    )
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1])))).toBe(
      'ISSUANCE_BULK_NOT_CSV',
    )
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0x61, 0x00, 0x62])))).toBe(
      'ISSUANCE_BULK_NOT_CSV',
    )
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0xff, 0xfe, 0x61, 0x00])))).toBe(
      'ISSUANCE_BULK_ENCODING',
    )
    // Marked UTF-8 that is not, and bytes that are neither UTF-8 nor GB18030.
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0x28])))).toBe(
      'ISSUANCE_BULK_ENCODING',
    )
    expect(codeOf(() => decodeCsvBytes(new Uint8Array([0x61, 0x81, 0x20, 0x62])))).toBe(
      'ISSUANCE_BULK_ENCODING',
    )
  })
})

describe('parsing', () => {
  it('handles quotes, commas, doubled quotes and line breaks inside cells', () => {
    const text =
      'a,b,c\r\n' +
      '"郑州市,金水区","他说""好""","第一行\r\n第二行"\r\n' +
      'x,,z\n' +
      '"",y,"\nq"\r' +
      'last,row,end'
    expect(parseCsv(text)).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['郑州市,金水区', '他说"好"', '第一行\r\n第二行'] },
      { row: 3, cells: ['x', '', 'z'] },
      { row: 4, cells: ['', 'y', '\nq'] },
      { row: 5, cells: ['last', 'row', 'end'] },
    ])
  })

  it('numbers rows as Excel does and leaves blank rows out', () => {
    const records = parseCsv('h1,h2\r\n\r\n,,\r\nv1,v2\r\n,\r\n')
    expect(records).toEqual([
      { row: 1, cells: ['h1', 'h2'] },
      { row: 4, cells: ['v1', 'v2'] },
    ])
  })

  it('keeps a trailing empty cell and a last line without a break', () => {
    expect(parseCsv('a,b\r\n1,')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', ''] },
    ])
    expect(parseCsv('a,"b"')).toEqual([{ row: 1, cells: ['a', 'b'] }])
  })

  it('names the row of an unpaired quote, stray characters and a quote inside a plain cell', () => {
    const malformed = (text: string) => {
      try {
        parseCsv(text)
      } catch (error) {
        if (isCounterError(error)) return [error.code, error.params?.row]
      }
      return ['ok']
    }
    expect(malformed('a,b\r\n1,"open\r\n2,3\r\n')).toEqual(['ISSUANCE_BULK_CSV_MALFORMED', 2])
    expect(malformed('a,b\r\n1,2\r\n"x"y,3\r\n')).toEqual(['ISSUANCE_BULK_CSV_MALFORMED', 3])
    expect(malformed('a,b\r\nab"c,3\r\n')).toEqual(['ISSUANCE_BULK_CSV_MALFORMED', 2])
  })

  it('refuses a header alone and an empty file', () => {
    expect(codeOf(() => readBulkCsv(utf8('持证主体,持证主体代码\r\n')))).toBe('ISSUANCE_BULK_EMPTY')
    expect(codeOf(() => readBulkCsv(new Uint8Array()))).toBe('ISSUANCE_BULK_EMPTY')
    expect(codeOf(() => readBulkCsv(utf8('\r\n\r\n,,,\r\n')))).toBe('ISSUANCE_BULK_EMPTY')
  })

  it('gives Excel column letters', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ])
  })
})

describe('bounds', () => {
  const small = { maxBytes: 4096, maxRows: 3, maxColumns: 4, maxCellChars: 10 }

  it('stops at the size, row, column and cell limits with the limit named', () => {
    expect(codeOf(() => readBulkCsv(new Uint8Array(4097).fill(0x61), small))).toBe(
      'ISSUANCE_BULK_FILE_TOO_LARGE',
    )
    expect(codeOf(() => parseCsv('h\r\n1\r\n2\r\n3\r\n', small))).toBe('ok')
    expect(codeOf(() => parseCsv('h\r\n1\r\n2\r\n3\r\n4\r\n', small))).toBe(
      'ISSUANCE_BULK_TOO_MANY_ROWS',
    )
    expect(codeOf(() => parseCsv('a,b,c,d,e\r\n', small))).toBe('ISSUANCE_BULK_TOO_MANY_COLUMNS')
    expect(codeOf(() => parseCsv('h\r\n12345678901\r\n', small))).toBe(
      'ISSUANCE_BULK_CELL_TOO_LONG',
    )
    // A quoted cell running on (an unpaired quote swallowing the rest) stops at the cell limit.
    expect(codeOf(() => parseCsv('h\r\n"1234\r\n5678\r\n9012""3', small))).toBe(
      'ISSUANCE_BULK_CELL_TOO_LONG',
    )
  })

  it('keeps the default limits documented', () => {
    expect(BULK_LIMITS).toEqual({
      maxBytes: 8 * 1024 * 1024,
      maxRows: 5000,
      maxColumns: 120,
      maxCellChars: 2000,
    })
  })
})

describe('hostile input', () => {
  function rng(seed: number) {
    let x = seed >>> 0 || 1
    return () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 0x100000000
    }
  }

  /** A table or an ISSUANCE_BULK_* error; anything else fails the test. */
  function outcome(bytes: Uint8Array): string {
    try {
      const t = readBulkCsv(bytes, { ...BULK_LIMITS, maxRows: 200, maxCellChars: 300 })
      // What came back is consistent: rows ascending, cells bounded.
      let last = t.header.row
      for (const r of t.records) {
        if (r.row <= last) throw new Error('rows out of order')
        last = r.row
        if (r.cells.some((c) => c.length > 300)) throw new Error('cell over the limit')
      }
      return 'ok'
    } catch (error) {
      if (isCounterError(error) && error.code.startsWith('ISSUANCE_BULK_')) return error.code
      throw error
    }
  }

  const seedText = csv([
    ['持证主体', '持证主体代码类型', '持证主体代码', '居住地址'],
    ['李红梅', '111', '410105198503150021', '郑州市"金水区",花园路\n38号院'],
    ['王建军', '111', '410102197909210030', '二七区'],
  ])
  const seeds = [utf8(seedText), utf8(seedText, true), encodeGb18030(seedText)]
  const alphabet = [0x22, 0x2c, 0x0d, 0x0a, 0x61, 0xef, 0xbb, 0xbf, 0x81, 0x30, 0xd5, 0xc5, 0x00]

  function mutate(data: Uint8Array, r: () => number): Uint8Array {
    const out = data.slice()
    const kind = Math.floor(r() * 5)
    const at = Math.floor(r() * out.length)
    if (kind === 0)
      for (let k = 0; k < 1 + r() * 8; k++)
        out[Math.floor(r() * out.length)] = Math.floor(r() * 256)
    else if (kind === 1) return out.subarray(0, at)
    else if (kind === 2)
      return new Uint8Array([
        ...out.subarray(0, at),
        ...Array.from({ length: 1 + Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * 13)]!),
        ...out.subarray(at),
      ])
    else if (kind === 3)
      return new Uint8Array([
        ...out.subarray(0, at),
        ...out.subarray(Math.min(out.length, at + 1 + r() * 32)),
      ])
    else out.fill(alphabet[Math.floor(r() * alphabet.length)]!, at, at + 1 + Math.floor(r() * 8))
    return out
  }

  it('mutated lists give a table or a typed error', () => {
    const r = rng(20260403)
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) {
      let bytes = seeds[i % seeds.length]!
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) bytes = mutate(bytes, r)
      seen.add(outcome(bytes))
    }
    // The mutations reach more than one way of being wrong, and some survive.
    expect(seen.has('ok')).toBe(true)
    expect(seen.size).toBeGreaterThan(3)
  })

  it('random bytes and random CSV-ish text give a table or a typed error', () => {
    const r = rng(7)
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(r() * 400)
      const bytes = new Uint8Array(length)
      const csvish = i % 2 === 0
      for (let k = 0; k < length; k++)
        bytes[k] = csvish ? alphabet[Math.floor(r() * 12)]! : Math.floor(r() * 256)
      outcome(bytes)
    }
  })

  it('pathological shapes end quickly with the bound named', () => {
    const limits = BULK_LIMITS
    const commas = new Uint8Array(limits.maxBytes).fill(0x2c)
    expect(outcome(commas)).toBe('ISSUANCE_BULK_TOO_MANY_COLUMNS')
    const lines = utf8('h\n' + 'x\n'.repeat(limits.maxRows + 1))
    expect(codeOf(() => readBulkCsv(lines))).toBe('ISSUANCE_BULK_TOO_MANY_ROWS')
    // An unpaired quote: named as such, with the row it opened on.
    const endless = utf8('h\n"' + 'a'.repeat(1 << 20))
    expect(outcome(endless)).toBe('ISSUANCE_BULK_CSV_MALFORMED')
    const runOn = utf8('h\n"' + 'a'.repeat(1 << 20) + '""b')
    expect(outcome(runOn)).toBe('ISSUANCE_BULK_CELL_TOO_LONG')
    const quotes = utf8('h\n' + '"'.repeat(1 << 20))
    expect(outcome(quotes)).toMatch(/^ISSUANCE_BULK_/)
  })
})
