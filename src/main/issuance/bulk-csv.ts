/**
 * Bulk lists as service halls make them: Excel on Chinese Windows, saved as "CSV UTF-8" (with a
 * byte-order mark) or as plain "CSV", which there means GB18030/GBK. The bytes are an outsider's,
 * so everything here is bounded (size, rows, columns, cell length) and every way a file can be
 * wrong ends in a CounterError that names the row — never a crash, never a guess.
 *
 * Parsing follows RFC 4180 as Excel writes it: comma-separated, fields with commas, quotes or line
 * breaks quoted, `""` for a quote inside quotes, CRLF (LF and a lone CR accepted) between records.
 */
import { BULK_LIMITS, type BulkEncoding } from '../../shared/domain'
import { CounterError } from '../../shared/errors'

export interface CsvLimits {
  readonly maxBytes: number
  readonly maxRows: number
  readonly maxColumns: number
  readonly maxCellChars: number
}

/** One record, numbered as Excel numbers rows (the first record is row 1). */
export interface CsvRecord {
  readonly row: number
  readonly cells: readonly string[]
}

export interface CsvTable {
  readonly encoding: BulkEncoding
  readonly header: CsvRecord
  /** Data records in file order; blank ones (empty line, or only empty cells) are left out. */
  readonly records: readonly CsvRecord[]
}

const startsWith = (b: Uint8Array, ...prefix: number[]) => prefix.every((v, i) => b[i] === v)

/** Excel's column letter for a 0-based index: A … Z, AA … */
export function columnLetter(index: number): string {
  let n = index + 1
  let out = ''
  while (n > 0) {
    const r = (n - 1) % 26
    out = String.fromCharCode(65 + r) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}

/**
 * The text of the file: UTF-8 when it has the mark or is valid UTF-8, else GB18030 (a superset of
 * GBK and GB2312, which is what "CSV" means in Excel on Chinese Windows). Anything else — UTF-16,
 * a workbook, a binary — is refused with what it looks like.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: BulkEncoding } {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04))
    throw new CounterError('ISSUANCE_BULK_NOT_CSV', { params: { kind: 'Excel 工作簿（.xlsx）' } })
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0))
    throw new CounterError('ISSUANCE_BULK_NOT_CSV', {
      params: { kind: 'Excel 97-2003 工作簿（.xls）' },
    })
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff))
    throw new CounterError('ISSUANCE_BULK_ENCODING', { params: { found: 'UTF-16' } })
  if (bytes.includes(0))
    throw new CounterError('ISSUANCE_BULK_NOT_CSV', { params: { kind: '二进制文件' } })
  const bom = startsWith(bytes, 0xef, 0xbb, 0xbf)
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bom ? bytes.subarray(3) : bytes,
    )
    return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' }
  } catch {
    if (bom)
      throw new CounterError('ISSUANCE_BULK_ENCODING', {
        params: { found: '标为 UTF-8 但内容不是' },
      })
  }
  try {
    // GB18030 has its own byte-order mark (84 31 95 33), which decodes to U+FEFF.
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
    return { text, encoding: 'gb18030' }
  } catch {
    throw new CounterError('ISSUANCE_BULK_ENCODING', {
      params: { found: '既不是 UTF-8 也不是 GB18030' },
    })
  }
}

function malformed(row: number, problem: string): CounterError {
  return new CounterError('ISSUANCE_BULK_CSV_MALFORMED', { params: { row, problem } })
}

/**
 * Splits CSV text into records. Bounds are checked as it goes, so a hostile file (a million
 * commas, one endless quoted cell) stops early with its row named instead of filling memory.
 */
export function parseCsv(text: string, limits: CsvLimits = BULK_LIMITS): CsvRecord[] {
  const records: CsvRecord[] = []
  let cells: string[] = []
  let row = 1
  let dataRows = 0
  let i = 0
  const n = text.length

  const pushCell = (value: string) => {
    if (value.length > limits.maxCellChars)
      throw new CounterError('ISSUANCE_BULK_CELL_TOO_LONG', {
        params: { row, column: columnLetter(cells.length), max: limits.maxCellChars },
      })
    if (cells.length >= limits.maxColumns)
      throw new CounterError('ISSUANCE_BULK_TOO_MANY_COLUMNS', {
        params: { row, max: limits.maxColumns },
      })
    cells.push(value)
  }
  const endRecord = () => {
    const blank = cells.every((c) => c.trim() === '')
    if (!blank) {
      // The header is not a data row.
      if (records.length > 0 && ++dataRows > limits.maxRows)
        throw new CounterError('ISSUANCE_BULK_TOO_MANY_ROWS', { params: { max: limits.maxRows } })
      records.push({ row, cells })
    }
    cells = []
    row++
  }
  /** After a record's last cell: consumes its line break (CRLF, LF or CR). */
  const lineBreakLength = (at: number) =>
    text[at] === '\r' ? (text[at + 1] === '\n' ? 2 : 1) : text[at] === '\n' ? 1 : 0

  while (i < n) {
    if (text[i] === '"') {
      // A quoted cell: up to the quote that is not doubled.
      const startRow = row
      let value = ''
      let from = i + 1
      for (;;) {
        const q = text.indexOf('"', from)
        if (q < 0) throw malformed(startRow, '引号没有配对（从此行起的单元格未结束）')
        value += text.slice(from, q)
        if (value.length > limits.maxCellChars)
          throw new CounterError('ISSUANCE_BULK_CELL_TOO_LONG', {
            params: { row: startRow, column: columnLetter(cells.length), max: limits.maxCellChars },
          })
        if (text[q + 1] === '"') {
          value += '"'
          from = q + 2
          continue
        }
        i = q + 1
        break
      }
      pushCell(value)
      if (i >= n) break
      if (text[i] === ',') {
        i++
        // A trailing comma at the very end means one more (empty) cell.
        if (i >= n) pushCell('')
        continue
      }
      const lb = lineBreakLength(i)
      if (lb === 0) throw malformed(startRow, '引号结束后还有其他字符')
      i += lb
      endRecord()
      continue
    }
    // An unquoted cell: up to the next comma or line break.
    let j = i
    while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
      if (text[j] === '"') throw malformed(row, '未加引号的单元格中出现引号')
      j++
    }
    pushCell(text.slice(i, j))
    if (j >= n) {
      i = j
      break
    }
    if (text[j] === ',') {
      i = j + 1
      if (i >= n) pushCell('')
      continue
    }
    i = j + lineBreakLength(j)
    endRecord()
  }
  if (cells.length > 0) endRecord()
  return records
}

/** Reads a bulk list file: size bound, encoding, records, a header and at least one data row. */
export function readBulkCsv(bytes: Uint8Array, limits: CsvLimits = BULK_LIMITS): CsvTable {
  if (bytes.length > limits.maxBytes)
    throw new CounterError('ISSUANCE_BULK_FILE_TOO_LARGE', {
      params: {
        size: (bytes.length / 1048576).toFixed(1),
        max: Math.floor(limits.maxBytes / 1048576),
      },
    })
  const { text, encoding } = decodeCsvBytes(bytes)
  const records = parseCsv(text, limits)
  const [header, ...data] = records
  if (!header || data.length === 0) throw new CounterError('ISSUANCE_BULK_EMPTY')
  return { encoding, header, records: data }
}
