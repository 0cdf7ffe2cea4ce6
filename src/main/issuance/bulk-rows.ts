/**
 * A bulk list's rows against one licence type: the header names the type's face fields (by label
 * or key) and the holder columns; every row is checked with the catalogue's own rules and the
 * holder code's check (citizen ID MOD 11-2, USCC). The result is either every row, ready to
 * issue, or every problem — the row, the column and what is wrong — and then nothing is issued.
 *
 * Holder-bound fields take the holder's values as the window takes the card's: the name and code
 * from the holder columns, sex and birth date from a citizen ID number. A column for such a field
 * may be there, but must agree.
 */
import {
  BULK_DERIVED_PREFILLS,
  BULK_HOLDER_COLUMNS,
  defaultValidTo,
  HOLDER_IDENTITY_TYPES,
  isCalendarDate,
  validateFaceValues,
  type BulkCheck,
  type BulkProblem,
  type BulkHolderColumn,
  type BulkProblemCode,
  type FaceField,
  type LicenceTemplate,
} from '../../shared/domain'
import { checkCitizenId, checkUscc } from '../../shared/ids'
import { columnLetter, readBulkCsv, type CsvTable } from './bulk-csv'

/** A checked row: everything needed to compose its licence. */
export interface BulkRowData {
  /** The row in the file. */
  readonly row: number
  readonly holderName: string
  readonly holderCode: string
  readonly holderType: string
  readonly values: Readonly<Record<string, string>>
  readonly validFrom: string
  /** `YYYY-MM-DD` or `long-term`. */
  readonly validTo: string
}

export interface BulkRowsResult {
  readonly rows: BulkRowData[]
  readonly problems: BulkProblem[]
}

type HolderColumn = BulkHolderColumn
const HOLDER_COLUMNS = BULK_HOLDER_COLUMNS
const REQUIRED_HOLDER_COLUMNS: readonly HolderColumn[] = ['holderName', 'holderType', 'holderCode']

/** Excel templates mark required columns with `*` or （必填）; the heading is what is before. */
function normaliseHeading(raw: string): string {
  return raw
    .trim()
    .replace(/\s*[（(](必填|选填)[)）]$/, '')
    .replace(/\s*[*＊]$/, '')
    .replace(/^[*＊]\s*/, '')
    .trim()
}

/** `2026-03-02`, `2026/3/2`, `2026.3.2` or `2026年3月2日` (as Excel shows dates in China). */
export function normaliseDate(raw: string): string | undefined {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(raw.trim())
  if (!m) return undefined
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  return isCalendarDate(iso) ? iso : undefined
}

/** What Excel makes of an 18-digit number typed into a General cell: `4.10105E+17`. */
const EXCEL_NUMBER = /^\d(\.\d+)?E\+\d+$/i
// Tab is a character Excel leaves in cells; other C0 controls and DEL cannot go into the OFD's XML.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const LONG_TERM = new Set(['长期', '长期有效', 'long-term'])

/**
 * The holder identity type a cell names: its code or its name. Excel drops leading zeros from a
 * General cell, so `1` is `001` — the codes are three digits by definition, nothing is guessed.
 */
function holderTypeOf(raw: string): string | undefined {
  const v = raw.trim()
  if (/^\d{1,3}$/.test(v)) {
    const code = v.padStart(3, '0')
    return HOLDER_IDENTITY_TYPES.some((t) => t.code === code) ? code : undefined
  }
  return HOLDER_IDENTITY_TYPES.find((t) => t.name === v)?.code
}

function holderCodeProblem(code: string, holderType: string): Record<string, string> | undefined {
  if (holderType === '111') {
    const c = checkCitizenId(code)
    return c.valid
      ? undefined
      : { reason: c.reason ?? 'format', ...(c.expected ? { expected: c.expected } : {}) }
  }
  if (holderType === '001') {
    const c = checkUscc(code)
    return c.valid
      ? undefined
      : { reason: c.reason ?? 'format', ...(c.expected ? { expected: c.expected } : {}) }
  }
  // Other codes (passports, permits, other organisation codes) have no public check digit.
  return /^[0-9A-Z-]{5,32}$/.test(code) ? undefined : { reason: 'format' }
}

/** A holder-bound field's value, as the holder columns give it (undefined: not derivable). */
function boundValue(
  f: FaceField,
  holder: { name: string; code: string; type: string },
): string | undefined {
  const id = holder.type === '111' ? checkCitizenId(holder.code) : undefined
  switch (f.prefill) {
    case 'holder.name':
      return holder.name
    case 'holder.code':
      return holder.code
    case 'holder.sex':
      return id?.valid ? (id.sex === 'male' ? '男' : '女') : undefined
    case 'holder.birthDate':
      return id?.valid ? id.birthDate : undefined
    default:
      return undefined
  }
}

interface Column {
  readonly index: number
  readonly heading: string
}

/** Checks every row of a list for a licence type. `today` (Shanghai) is the default validity start. */
export function checkBulkRows(t: LicenceTemplate, table: CsvTable, today: string): BulkRowsResult {
  const problems: BulkProblem[] = []
  const headerRow = table.header.row
  const at = (row: number, column: Column | string | undefined, code: BulkProblemCode) => {
    const col = typeof column === 'string' ? { heading: column, index: -1 } : column
    return (params?: Record<string, string | number>) =>
      problems.push({
        row,
        ...(col ? { column: col.heading } : {}),
        ...(col && col.index >= 0 ? { columnLetter: columnLetter(col.index) } : {}),
        code,
        ...(params && Object.keys(params).length > 0 ? { params } : {}),
      })
  }

  // The header: each heading is a holder column or a face field (by label or key), once.
  const holderCols = new Map<HolderColumn, Column>()
  const fieldCols = new Map<string, Column>()
  const seen = new Map<string, Column>()
  table.header.cells.forEach((raw, index) => {
    const heading = normaliseHeading(raw)
    const column = { index, heading: raw.trim() }
    if (heading === '') {
      // An empty heading over an empty column is Excel's leftover formatting; with data, it is named per row.
      return
    }
    const holder = (Object.keys(HOLDER_COLUMNS) as HolderColumn[]).find((k) =>
      HOLDER_COLUMNS[k].some((h) => h.toLowerCase() === heading.toLowerCase()),
    )
    const field = t.fields.find(
      (f) => f.label === heading || f.key.toLowerCase() === heading.toLowerCase(),
    )
    const target = holder ? `holder:${holder}` : field ? `field:${field.key}` : undefined
    if (!target) return at(headerRow, column, 'unknown-column')()
    const earlier = seen.get(target)
    if (earlier)
      return at(headerRow, column, 'duplicate-column')({ first: columnLetter(earlier.index) })
    seen.set(target, column)
    if (holder) holderCols.set(holder, column)
    else fieldCols.set(field!.key, column)
  })
  for (const k of REQUIRED_HOLDER_COLUMNS)
    if (!holderCols.has(k)) at(headerRow, HOLDER_COLUMNS[k][0], 'missing-column')()
  const derivable = new Set<string>(BULK_DERIVED_PREFILLS)
  for (const f of t.fields)
    if (f.required && !fieldCols.has(f.key) && !(f.prefill && derivable.has(f.prefill)))
      at(headerRow, f.label, 'missing-column')()
  if (t.validity.kind === 'entered' && !holderCols.has('validTo'))
    at(headerRow, HOLDER_COLUMNS.validTo[0], 'missing-column')()
  if (problems.length > 0) return { rows: [], problems }

  const width = table.header.cells.length
  const rows: BulkRowData[] = []
  const firstOf = new Map<string, number>()
  for (const record of table.records) {
    const before = problems.length
    const r = record.row
    const cell = (c: Column | undefined) => (c ? (record.cells[c.index] ?? '').trim() : '')
    const extra = record.cells.findIndex((v, i) => i >= width && v.trim() !== '')
    if (extra >= 0)
      at(r, { index: extra, heading: columnLetter(extra) }, 'extra-cells')({ columns: width })
    // Text that cannot go on a licence.
    const textProblem = (column: Column, value: string, multiline: boolean) => {
      if (CONTROL.test(value)) at(r, column, 'control-char')()
      else if (!multiline && /[\r\n]/.test(value)) at(r, column, 'newline')()
      else return false
      return true
    }

    const nameCol = holderCols.get('holderName')!
    const holderName = cell(nameCol)
    if (holderName === '') at(r, nameCol, 'required')()
    else if ([...holderName].length > 100) at(r, nameCol, 'too-long')({ max: 100 })
    else textProblem(nameCol, holderName, false)

    const typeCol = holderCols.get('holderType')!
    const typeCell = cell(typeCol)
    const holderType = holderTypeOf(typeCell)
    if (typeCell === '') at(r, typeCol, 'required')()
    else if (!holderType) at(r, typeCol, 'holder-type-unknown')({ value: typeCell.slice(0, 40) })
    else if (!t.holderTypes.includes(holderType))
      at(
        r,
        typeCol,
        'holder-type-not-allowed',
      )({
        type: HOLDER_IDENTITY_TYPES.find((x) => x.code === holderType)!.name,
      })

    const codeCol = holderCols.get('holderCode')!
    const holderCode = cell(codeCol).toUpperCase()
    let codeOk = false
    if (holderCode === '') at(r, codeCol, 'required')()
    else if (EXCEL_NUMBER.test(holderCode)) at(r, codeCol, 'excel-number')()
    else if (holderType && t.holderTypes.includes(holderType)) {
      const wrong = holderCodeProblem(holderCode, holderType)
      if (wrong) at(r, codeCol, 'holder-code')(wrong)
      else codeOk = true
    }

    // Face values: holder-bound ones from the holder, the rest from their columns.
    const holder = { name: holderName, code: holderCode, type: holderType ?? '' }
    const values: Record<string, string> = {}
    const fieldColumn = (f: FaceField): Column =>
      fieldCols.get(f.key) ?? { index: -1, heading: f.label }
    for (const f of t.fields) {
      const column = fieldCols.get(f.key)
      let value = cell(column)
      if (column && value !== '' && textProblem(column, value, f.kind === 'multiline')) continue
      if (f.kind === 'date' && value !== '') value = normaliseDate(value) ?? value
      if (f.prefill && derivable.has(f.prefill) && codeOk) {
        const bound = boundValue(f, holder)
        if (bound !== undefined) {
          const same =
            f.kind === 'citizen-id' || f.kind === 'uscc'
              ? value.toUpperCase() === bound
              : value === bound
          if (value !== '' && !same) {
            at(r, fieldColumn(f), 'holder-mismatch')({ holderColumn: holderMismatchColumn(f) })
            continue
          }
          value = bound
        }
      }
      values[f.key] = value
    }
    if (problems.length === before) {
      for (const issue of validateFaceValues(t.fields, values)) {
        const f = t.fields.find((x) => x.key === issue.field)!
        at(r, fieldColumn(f), issue.code as BulkProblemCode)(issue.params)
      }
    }

    // Validity: the start defaults to the day of issue, the end to what the type's rule gives.
    const fromCol = holderCols.get('validFrom')
    const toCol = holderCols.get('validTo')
    const fromCell = cell(fromCol)
    const toCell = cell(toCol)
    const validFrom = fromCell === '' ? today : normaliseDate(fromCell)
    let validTo: string | undefined
    if (!validFrom) at(r, fromCol!, 'validity')({ problem: 'from-date' })
    else if (t.validity.kind === 'long-term') {
      if (toCell !== '' && !LONG_TERM.has(toCell))
        at(r, toCol!, 'validity')({ problem: 'long-term' })
      else validTo = 'long-term'
    } else if (LONG_TERM.has(toCell)) at(r, toCol!, 'validity')({ problem: 'not-long-term' })
    else if (toCell === '') {
      validTo = defaultValidTo(t.validity, validFrom)
      if (!validTo)
        at(r, toCol ?? HOLDER_COLUMNS.validTo[0]!, 'validity')({ problem: 'to-required' })
    } else {
      const to = normaliseDate(toCell)
      if (!to) at(r, toCol!, 'validity')({ problem: 'to-date' })
      else if (to <= validFrom) at(r, toCol!, 'validity')({ problem: 'to-before-from' })
      else validTo = to
    }

    if (problems.length > before || !holderType || !validFrom || !validTo) continue
    // The same row twice is a copy-and-paste slip, not two licences.
    const key = JSON.stringify([holderType, holderCode, values, validFrom, validTo])
    const first = firstOf.get(key)
    if (first !== undefined) {
      at(r, undefined, 'duplicate-row')({ first })
      continue
    }
    firstOf.set(key, r)
    rows.push({ row: r, holderName, holderCode, holderType, values, validFrom, validTo })
  }
  return { rows, problems }
}

function holderMismatchColumn(f: FaceField): string {
  switch (f.prefill) {
    case 'holder.name':
      return HOLDER_COLUMNS.holderName[0]!
    default:
      return HOLDER_COLUMNS.holderCode[0]!
  }
}

/**
 * Reads a list file and checks it for a type, as the 批量签发 view and `cli issue bulk check`
 * report it: every problem is counted, the first `maxListed` are listed; the rows come back only
 * when there is no problem at all.
 */
export function checkBulkList(
  t: LicenceTemplate,
  file: { readonly fileName: string; readonly bytes: Uint8Array },
  today: string,
  maxListed = Infinity,
): { check: BulkCheck; rows: BulkRowData[] } {
  const table = readBulkCsv(file.bytes)
  const { rows, problems } = checkBulkRows(t, table, today)
  return {
    check: {
      typeCode: t.typeCode,
      typeName: t.name,
      fileName: file.fileName,
      encoding: table.encoding,
      rows: table.records.length,
      problems: problems.slice(0, maxListed),
      problemCount: problems.length,
    },
    rows,
  }
}
