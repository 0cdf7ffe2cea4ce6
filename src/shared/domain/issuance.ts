/**
 * Licence types as the published catalogue (HN_catalog_release, GB/T 36902) defines them for
 * issuance: the face fields (照面信息) with their validation rules, the OFD template they are laid
 * out on, and the holder identity types allowed. Everything here is data from the catalogue, so
 * the same validator runs in the form (as the clerk types) and in the core (before signing).
 */
import { z } from 'zod'
import { checkCitizenId, checkUscc } from '../ids'

/** Holder identity type codes (持证主体代码类型). Only 111 and 001 are confirmed; keep it data. */
export const HOLDER_IDENTITY_TYPES = [
  { code: '111', name: '公民身份号码', kind: 'person' },
  { code: '001', name: '统一社会信用代码', kind: 'enterprise' },
  { code: '099', name: '其他法人或其他组织代码', kind: 'enterprise' },
  { code: '414', name: '普通护照', kind: 'person' },
  { code: '516', name: '港澳居民来往内地通行证', kind: 'person' },
  { code: '511', name: '台湾居民来往大陆通行证', kind: 'person' },
  { code: '999', name: '其他', kind: 'person' },
] as const

export function holderIdentityTypeName(code: string): string {
  return HOLDER_IDENTITY_TYPES.find((t) => t.code === code)?.name ?? code
}

const FieldKeySchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/)

/** Where a face field may take its first value from: the identified holder. */
export const PrefillSourceSchema = z.enum([
  'holder.name',
  'holder.code',
  'holder.sex',
  'holder.birthDate',
  'holder.nation',
  'holder.address',
])
export type PrefillSource = z.infer<typeof PrefillSourceSchema>

export const FaceFieldSchema = z
  .object({
    key: FieldKeySchema,
    label: z.string().min(1).max(40),
    kind: z.enum(['text', 'multiline', 'date', 'select', 'integer', 'citizen-id', 'uscc']),
    required: z.boolean().default(true),
    minLength: z.number().int().min(0).max(2000).optional(),
    maxLength: z.number().int().min(1).max(2000).default(200),
    /** A regular expression the whole value must match (catalogue data, so kept short). */
    pattern: z.string().min(1).max(200).optional(),
    /** What the pattern means, for the clerk. */
    patternHint: z.string().max(80).optional(),
    options: z.array(z.string().min(1).max(100)).max(200).optional(),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    prefill: PrefillSourceSchema.optional(),
    /** Whether it may be changed once prefilled from the holder's document. */
    locked: z.boolean().default(false),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.kind === 'select' && (!f.options || f.options.length === 0))
      ctx.addIssue({ code: 'custom', path: ['options'], message: '下拉项不能为空' })
    if (f.pattern !== undefined && !isSafePattern(f.pattern))
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: '不是有效的正则表达式，或含嵌套量词、反向引用',
      })
    if (f.minLength !== undefined && f.minLength > f.maxLength)
      ctx.addIssue({ code: 'custom', path: ['minLength'], message: '不能大于 maxLength' })
  })
export type FaceField = z.output<typeof FaceFieldSchema>

/**
 * A catalogue's pattern runs on what the clerk types, so it must not be able to hang the form:
 * it must compile, and nested quantifiers (`(a+)+`) and backreferences are refused.
 */
export function isSafePattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u')
  } catch {
    return false
  }
  if (/\\[1-9k]/.test(pattern)) return false
  return !/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/.test(pattern)
}

export const ValidityRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('long-term') }).strict(),
  z.object({ kind: z.literal('years'), years: z.number().int().min(1).max(99) }).strict(),
  /** The clerk enters the end date (e.g. it follows from a court order or a lease). */
  z.object({ kind: z.literal('entered') }).strict(),
])
export type ValidityRule = z.infer<typeof ValidityRuleSchema>

/** Where a face field sits on the template page, in millimetres (OFD units). */
export const PlacementSchema = z
  .object({
    field: z.string().min(1).max(40),
    x: z.number().min(0).max(2000),
    y: z.number().min(0).max(2000),
    width: z.number().min(1).max(2000),
    fontSize: z.number().min(2).max(72).default(4.2),
    font: z.string().max(20).default('宋体'),
  })
  .strict()

/** The OFD template (底图) a licence of this type is laid out on. */
export const TemplateRefSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    version: z.string().min(1).max(20),
    /** Page size in millimetres. */
    width: z.number().min(50).max(2000),
    height: z.number().min(50).max(2000),
    /** SM3 of the base image the catalogue published, hex; checked when the template is loaded. */
    backgroundSm3: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    placements: z.array(PlacementSchema).max(100),
  })
  .strict()
export type TemplateRef = z.output<typeof TemplateRefSchema>

export const NumberingSchema = z.discriminatedUnion('kind', [
  /** 证照编号 = prefix + the identifier's serial. */
  z.object({ kind: z.literal('serial'), prefix: z.string().max(20).default('') }).strict(),
  /** The clerk enters it in the face field named here. */
  z.object({ kind: z.literal('field'), field: FieldKeySchema }).strict(),
])

export const LicenceTemplateSchema = z
  .object({
    /** 21 characters: the defining ministry's USCC + 3 digits. */
    typeCode: z.string().regex(/^[0-9A-Z]{21}$/),
    name: z.string().min(1).max(100),
    department: z.string().min(1).max(100),
    holderTypes: z.array(z.string().regex(/^\d{3}$/)).min(1),
    fields: z.array(FaceFieldSchema).max(60),
    validity: ValidityRuleSchema,
    numbering: NumberingSchema.default({ kind: 'serial', prefix: '' }),
    template: TemplateRefSchema,
    /** The catalogue entry's version as released (cd_version). */
    version: z.number().int().min(1),
    releasedAt: z.string().max(40),
  })
  .strict()
  .superRefine((t, ctx) => {
    const keys = new Set<string>()
    t.fields.forEach((f, i) => {
      if (keys.has(f.key))
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: '重复的字段' })
      keys.add(f.key)
    })
    if (t.numbering.kind === 'field' && !keys.has(t.numbering.field))
      ctx.addIssue({ code: 'custom', path: ['numbering', 'field'], message: '未定义的字段' })
    t.template.placements.forEach((p, i) => {
      if (!keys.has(p.field) && !LAYOUT_FIELDS.includes(p.field))
        ctx.addIssue({
          code: 'custom',
          path: ['template', 'placements', i, 'field'],
          message: '未定义的字段',
        })
    })
  })
export type LicenceTemplate = z.output<typeof LicenceTemplateSchema>
export type LicenceTemplateInput = z.input<typeof LicenceTemplateSchema>

/** Fields every licence has beside its face fields; a template may place them too. */
export const LAYOUT_FIELDS: readonly string[] = [
  'number',
  'holderName',
  'holderCode',
  'issuer',
  'issuedOn',
  'validFrom',
  'validTo',
  'identifier',
]

/** The catalogue's rules on one field's value: each a code in FieldIssue and in bulk problems. */
export const FIELD_RULE_CODES = [
  'required',
  'too-short',
  'too-long',
  'pattern',
  'date',
  'option',
  'integer',
  'range',
  'checksum',
] as const
export type FieldRuleCode = (typeof FIELD_RULE_CODES)[number]

export function isFieldRuleCode(code: string): code is FieldRuleCode {
  return (FIELD_RULE_CODES as readonly string[]).includes(code)
}

/** One problem with one field: a stable code for the UI's message table, and its parameters. */
export const FieldIssueSchema = z.object({
  field: z.string(),
  code: z.enum([...FIELD_RULE_CODES, 'unknown-field', 'locked']),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
export type FieldIssue = z.infer<typeof FieldIssueSchema>

export const FaceValuesSchema = z.record(FieldKeySchema, z.string().max(2000))
export type FaceValues = z.infer<typeof FaceValuesSchema>

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === value
}

/** Checks face values against the catalogue's rules; an empty list means they may be signed. */
export function validateFaceValues(
  fields: readonly FaceField[],
  values: Readonly<Record<string, string>>,
): FieldIssue[] {
  const issues: FieldIssue[] = []
  const known = new Set(fields.map((f) => f.key))
  for (const key of Object.keys(values)) {
    if (!known.has(key)) issues.push({ field: key, code: 'unknown-field' })
  }
  for (const f of fields) {
    const raw = values[f.key] ?? ''
    const value = raw.trim()
    if (value === '') {
      if (f.required) issues.push({ field: f.key, code: 'required' })
      continue
    }
    const length = [...value].length
    if (length > f.maxLength) {
      issues.push({ field: f.key, code: 'too-long', params: { max: f.maxLength } })
      continue
    }
    if (f.minLength !== undefined && length < f.minLength) {
      issues.push({ field: f.key, code: 'too-short', params: { min: f.minLength } })
      continue
    }
    const kindIssue = checkKind(f, value)
    if (kindIssue) {
      issues.push(kindIssue)
      continue
    }
    if (f.pattern !== undefined && !new RegExp(`^(?:${f.pattern})$`, 'u').test(value)) {
      issues.push({
        field: f.key,
        code: 'pattern',
        ...(f.patternHint ? { params: { hint: f.patternHint } } : {}),
      })
    }
  }
  return issues
}

function checkKind(f: FaceField, value: string): FieldIssue | undefined {
  switch (f.kind) {
    case 'date':
      return isCalendarDate(value) ? undefined : { field: f.key, code: 'date' }
    case 'select':
      return f.options?.includes(value) ? undefined : { field: f.key, code: 'option' }
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(value)) return { field: f.key, code: 'integer' }
      const n = Number(value)
      if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max))
        return {
          field: f.key,
          code: 'range',
          params: { min: f.min ?? '-∞', max: f.max ?? '∞' },
        }
      return undefined
    }
    case 'citizen-id':
      return checkCitizenId(value).valid ? undefined : { field: f.key, code: 'checksum' }
    case 'uscc':
      return checkUscc(value).valid ? undefined : { field: f.key, code: 'checksum' }
    default:
      return undefined
  }
}

/** The validity end a rule gives for a start date (`long-term`, a date, or undefined: entered). */
export function defaultValidTo(rule: ValidityRule, validFrom: string): string | undefined {
  if (rule.kind === 'long-term') return 'long-term'
  if (rule.kind === 'entered') return undefined
  const m = DATE.exec(validFrom)
  if (!m) return undefined
  // The day before the same date N years on (a 5-year licence from 2026-03-01 ends 2031-02-28).
  const end = new Date(Date.UTC(Number(m[1]) + rule.years, Number(m[2]) - 1, Number(m[3])))
  if (end.getUTCDate() !== Number(m[3])) end.setUTCDate(0)
  else end.setUTCDate(end.getUTCDate() - 1)
  return end.toISOString().slice(0, 10)
}

/** A licence type as the form lists it: allowed for the current holder or not. */
export const LicenceTemplateViewSchema = z.object({
  typeCode: z.string(),
  name: z.string(),
  department: z.string(),
  holderTypes: z.array(z.string()),
  allowedForHolder: z.boolean(),
  version: z.number(),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: z.enum(['text', 'multiline', 'date', 'select', 'integer', 'citizen-id', 'uscc']),
      required: z.boolean(),
      minLength: z.number().optional(),
      maxLength: z.number(),
      pattern: z.string().optional(),
      patternHint: z.string().optional(),
      options: z.array(z.string()).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      prefill: PrefillSourceSchema.optional(),
      locked: z.boolean(),
    }),
  ),
  validity: ValidityRuleSchema,
  templateId: z.string(),
})
export type LicenceTemplateView = z.infer<typeof LicenceTemplateViewSchema>

/** Issuance modes (art. 14): each has its own push deadline in working days. */
export const IssueModeSchema = z.enum(['offline', 'bulk', 'online'])
export type IssueMode = z.infer<typeof IssueModeSchema>

export const DeadlineSchema = z.object({
  /** `YYYY-MM-DDT23:59:59+08:00`. */
  at: z.string(),
  /** Computed in a year without the State Council's notice: weekdays only, to be confirmed. */
  provisional: z.boolean(),
})
export type Deadline = z.infer<typeof DeadlineSchema>

/**
 * Status changes (art. 18) and their way back. The labels are what the library stores; a renewed
 * licence reads 延续 and stays in force with its new validity end.
 */
export const STATUS_ACTIONS = {
  renew: { label: '延续', to: '延续' },
  cancel: { label: '注销', to: '注销' },
  revoke: { label: '吊销', to: '吊销' },
  abolish: { label: '废止', to: '废止' },
  suspend: { label: '挂起', to: '挂起' },
  /** Back to the status before the suspension. */
  unsuspend: { label: '解除挂起', to: '有效' },
  pledge: { label: '质押', to: '质押' },
  unpledge: { label: '解除质押', to: '有效' },
} as const
export const StatusActionSchema = z.enum([
  'renew',
  'cancel',
  'revoke',
  'abolish',
  'suspend',
  'unsuspend',
  'pledge',
  'unpledge',
])
export type StatusAction = z.infer<typeof StatusActionSchema>

/** Which actions each status allows. Cancelled, revoked and abolished licences are final. */
export const STATUS_TRANSITIONS: Readonly<Record<string, readonly StatusAction[]>> = {
  有效: ['renew', 'suspend', 'pledge', 'cancel', 'revoke', 'abolish'],
  延续: ['renew', 'suspend', 'pledge', 'cancel', 'revoke', 'abolish'],
  挂起: ['unsuspend', 'cancel', 'revoke', 'abolish'],
  质押: ['unpledge', 'cancel', 'revoke', 'abolish'],
  注销: [],
  吊销: [],
  废止: [],
}

export function allowedStatusActions(status: string): readonly StatusAction[] {
  return STATUS_TRANSITIONS[status] ?? []
}

export const StatusChangeRequestSchema = z.object({
  action: StatusActionSchema,
  reason: z.string().trim().min(2).max(500),
  /** For 延续: the new validity end. */
  validTo: z.union([z.string().regex(DATE), z.literal('long-term')]).optional(),
})
export type StatusChangeRequest = z.infer<typeof StatusChangeRequestSchema>

const ValidToSchema = z.union([z.string().regex(DATE), z.literal('long-term')])

/** The form as the core prefills it for the identified holder. The holder's number stays masked. */
export const IssuanceDraftSchema = z.object({
  typeCode: z.string(),
  typeName: z.string(),
  holder: z.object({
    name: z.string(),
    codeMasked: z.string(),
    identityType: z.string(),
    identityTypeName: z.string(),
  }),
  issuer: z.object({ name: z.string(), code: z.string(), region: z.string() }),
  values: FaceValuesSchema,
  validFrom: z.string(),
  validTo: ValidToSchema.optional(),
  issues: z.array(FieldIssueSchema),
})
export type IssuanceDraft = z.infer<typeof IssuanceDraftSchema>

export const IssuanceRequestSchema = z.object({
  typeCode: z.string().regex(/^[0-9A-Z]{21}$/),
  values: FaceValuesSchema,
  validFrom: z.string().regex(DATE),
  validTo: ValidToSchema,
})
export type IssuanceRequest = z.infer<typeof IssuanceRequestSchema>

/** One rendered page of the exact OFD that will be signed. */
export const PreviewPageSchema = z.object({
  widthMm: z.number(),
  heightMm: z.number(),
  /** An image of the page (`data:image/png;base64,…` or `data:image/svg+xml;base64,…`). */
  image: z.string().max(8_000_000),
})

export const IssuancePreviewSchema = z.object({
  draftId: z.string(),
  identifier: z.string(),
  number: z.string(),
  /** SM3 of the unsigned OFD, hex: what the signature will cover. */
  sm3: z.string(),
  bytes: z.number().int(),
  pages: z.array(PreviewPageSchema),
  expiresAt: z.string(),
})
export type IssuancePreview = z.infer<typeof IssuancePreviewSchema>

export const SignerChoiceSchema = z.discriminatedUnion('kind', [
  /** The training seal key: training mode only. */
  z.object({ kind: z.literal('training') }),
  /** The unit's seal key on a CA token, through the CA-key layer. */
  z.object({
    kind: z.literal('token'),
    /** `<token id>#<key ref>`, as the option offered it. */
    keyId: z.string().min(1).max(256),
    /** The seal key's PIN, for this one signature; never stored. */
    pin: z.string().min(1).max(64).optional(),
  }),
])
export type SignerChoice = z.infer<typeof SignerChoiceSchema>

export const SignerOptionSchema = z.object({
  choice: SignerChoiceSchema,
  label: z.string(),
  available: z.boolean(),
  /** Why it cannot be used now (an error code). */
  unavailableCode: z.string().optional(),
  /** The same, in words for the clerk. */
  unavailableReason: z.string().optional(),
  /** Signing asks for the key's PIN. */
  needsPin: z.boolean().optional(),
})
export type SignerOption = z.infer<typeof SignerOptionSchema>

export const IssuedLicenceViewSchema = z.object({
  identifier: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  number: z.string(),
  holderNameMasked: z.string(),
  holderCodeMasked: z.string(),
  status: z.string(),
  version: z.number().int(),
  validFrom: z.string(),
  validTo: z.string(),
  issuedAt: z.string(),
  mode: IssueModeSchema,
  /** The push deadline of the newest unsent change, if any is waiting. */
  pending: z.object({ deadline: DeadlineSchema, state: z.enum(['pending', 'parked']) }).optional(),
  actions: z.array(StatusActionSchema),
})
export type IssuedLicenceView = z.infer<typeof IssuedLicenceViewSchema>

/*
 * Bulk issuance (art. 14: a one-time bulk issuance is pushed within five working days). A
 * supervisor imports a list for one licence type; its holders were not identified at the window,
 * which is why clerks may not. Every row is checked before anything is issued.
 */

/** The largest list file accepted, and how many rows and columns it may have. */
export const BULK_LIMITS = {
  maxBytes: 8 * 1024 * 1024,
  maxRows: 5000,
  maxColumns: 120,
  maxCellChars: 2000,
} as const

export type BulkHolderColumn = 'holderName' | 'holderType' | 'holderCode' | 'validFrom' | 'validTo'

/**
 * Headings accepted for the columns every bulk list has: the GB/T 36903 names (the first is the
 * one the template hint shows) or the keys.
 */
export const BULK_HOLDER_COLUMNS: Readonly<Record<BulkHolderColumn, readonly string[]>> = {
  holderName: ['持证主体', '持证主体名称', 'holderName'],
  holderType: ['持证主体代码类型', '持证主体代码类型代码', 'holderType'],
  holderCode: ['持证主体代码', 'holderCode'],
  validFrom: ['有效期起始', '有效期起始日期', '有效期自', 'validFrom'],
  validTo: ['有效期截止', '有效期截止日期', '有效期至', 'validTo'],
}

/** Face fields a bulk row fills from its holder columns (a citizen ID gives sex and birth date). */
export const BULK_DERIVED_PREFILLS: readonly PrefillSource[] = [
  'holder.name',
  'holder.code',
  'holder.sex',
  'holder.birthDate',
]

/** The header a bulk list for a type should have, in order: what the 批量签发 view shows. */
export function bulkHeader(
  fields: readonly { readonly label: string; readonly prefill?: PrefillSource | undefined }[],
): string[] {
  return [
    BULK_HOLDER_COLUMNS.holderName[0]!,
    BULK_HOLDER_COLUMNS.holderType[0]!,
    BULK_HOLDER_COLUMNS.holderCode[0]!,
    ...fields
      .filter((f) => !(f.prefill && BULK_DERIVED_PREFILLS.includes(f.prefill)))
      .map((f) => f.label),
    BULK_HOLDER_COLUMNS.validFrom[0]!,
    BULK_HOLDER_COLUMNS.validTo[0]!,
  ]
}

/** What is wrong with one cell, one row or the header of a bulk list. */
export const BulkProblemCodeSchema = z.enum([
  // The catalogue's own field rules (as FieldIssue).
  ...FIELD_RULE_CODES,
  // The header.
  'missing-column',
  'unknown-column',
  'duplicate-column',
  // The row.
  'extra-cells',
  'holder-type-unknown',
  'holder-type-not-allowed',
  'holder-code',
  'holder-mismatch',
  'excel-number',
  'validity',
  'newline',
  'control-char',
  'duplicate-row',
])
export type BulkProblemCode = z.infer<typeof BulkProblemCodeSchema>

export const BulkProblemSchema = z.object({
  /** The row as Excel numbers it: the header is row 1. */
  row: z.number().int().min(1),
  /** The column's heading as written in the file (or the one that is missing). */
  column: z.string().max(200).optional(),
  /** Excel's column letter (A, B, … AA). */
  columnLetter: z.string().max(4).optional(),
  code: BulkProblemCodeSchema,
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
export type BulkProblem = z.infer<typeof BulkProblemSchema>

export const BulkEncodingSchema = z.enum(['utf-8', 'utf-8-bom', 'gb18030'])
export type BulkEncoding = z.infer<typeof BulkEncodingSchema>

/** A list file as the renderer sends it: the bytes in base64, since the encoding is found here. */
export const BulkFileSchema = z.object({
  fileName: z.string().trim().min(1).max(255),
  content: z
    .string()
    .max(Math.ceil(BULK_LIMITS.maxBytes / 3) * 4 + 8)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
})
export type BulkFile = z.infer<typeof BulkFileSchema>

/** The check of a whole list: every problem (the first 1000), or none. */
export const BulkCheckSchema = z.object({
  typeCode: z.string(),
  typeName: z.string(),
  fileName: z.string(),
  encoding: BulkEncodingSchema,
  /** Data rows (blank rows not counted). */
  rows: z.number().int(),
  problems: z.array(BulkProblemSchema),
  /** All problems, also those not listed. */
  problemCount: z.number().int(),
})
export type BulkCheck = z.infer<typeof BulkCheckSchema>

export const BulkBatchStateSchema = z.enum([
  /** Checked and stored, nothing issued yet. */
  'ready',
  'running',
  /** Cut off by a crash, power loss or the app closing: resumable. */
  'interrupted',
  /** Stopped by the supervisor between licences: resumable. */
  'cancelled',
  /** Stopped by an error (a key pulled out, a wrong PIN): resumable. */
  'failed',
  'done',
  /** Ended by the supervisor: the rows not issued never will be. */
  'closed',
])
export type BulkBatchState = z.infer<typeof BulkBatchStateSchema>

export const BulkBatchViewSchema = z.object({
  batchNo: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  fileName: z.string(),
  state: BulkBatchStateSchema,
  /** Licences issued so far, of `total`. */
  done: z.number().int(),
  total: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The file row being issued now. */
  currentRow: z.number().int().optional(),
  /** Why it stopped (failed), with the file row it stopped at. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      hint: z.string(),
      row: z.number().int().optional(),
    })
    .optional(),
})
export type BulkBatchView = z.infer<typeof BulkBatchViewSchema>

/** One row of a stored batch, for the preview and the batch record. A person's number masked. */
export const BulkRowViewSchema = z.object({
  seq: z.number().int(),
  /** The row in the file. */
  row: z.number().int(),
  holderName: z.string(),
  holderCodeMasked: z.string(),
  holderTypeName: z.string(),
  values: FaceValuesSchema,
  validFrom: z.string(),
  validTo: z.string(),
  identifier: z.string(),
  number: z.string(),
  state: z.enum(['pending', 'issued']),
  issuedAt: z.string().optional(),
})
export type BulkRowView = z.infer<typeof BulkRowViewSchema>

export const BulkDetailSchema = z.object({
  batch: BulkBatchViewSchema,
  /** The first rows (at most 500) in file order. */
  rows: z.array(BulkRowViewSchema),
  /** The next licence to issue, rendered as it will be signed (while something is left). */
  preview: z
    .object({
      row: z.number().int(),
      identifier: z.string(),
      number: z.string(),
      issuedOn: z.string(),
      pages: z.array(PreviewPageSchema),
    })
    .optional(),
})
export type BulkDetail = z.infer<typeof BulkDetailSchema>

export const BulkImportResultSchema = z.discriminatedUnion('kind', [
  /** Something is wrong: nothing was stored or issued. */
  z.object({ kind: z.literal('problems'), check: BulkCheckSchema }),
  /** Every row is right: the batch is stored, ready to sign. */
  z.object({ kind: z.literal('ready'), check: BulkCheckSchema, detail: BulkDetailSchema }),
])
export type BulkImportResult = z.infer<typeof BulkImportResultSchema>
