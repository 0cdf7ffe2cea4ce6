/**
 * Issuing a licence at the window, and changing its status later. The holder always comes from
 * the applicant session (the identified person at the window), never from the screen: the form
 * only supplies the face fields, and fields bound to the holder's document are filled here.
 *
 * Preview reserves the identifier and composes the OFD; signing seals exactly those bytes and
 * then, in one transaction, writes the issued licence and its outbox item.
 */
import { randomUUID } from 'node:crypto'
import {
  allowedStatusActions,
  defaultValidTo,
  holderIdentityTypeName,
  HOLDER_IDENTITY_TYPES,
  isCalendarDate,
  STATUS_ACTIONS,
  validateFaceValues,
  type FaceValues,
  type FieldIssue,
  type IssuanceDraft,
  type IssuancePreview,
  type IssuanceRequest,
  type IssuedLicenceView,
  type IssueMode,
  type LicenceTemplate,
  type LicenceTemplateView,
  type PrefillSource,
  type SignerChoice,
  type SignerOption,
  type StatusAction,
  type StatusChangeRequest,
} from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/ids'
import { shanghaiDate } from '../../shared/time'
import type { Staff } from '../auth'
import { sm3 } from '../crypto'
import type { Db } from '../db'
import type { Logger } from '../log'
import type { Applicant } from '../session'
import type { Sealer } from './data-key'
import { composeInput, licenceNumber } from './compose'
import type { ComposeInput, IssuanceDocuments, SignedDocument } from './documents'
import { licenceIdentifier, nextSerial } from './identifiers'
import type { ExchangeRecord, OutboxDeadline, OutboxStore } from './outbox'
import { templateView, type TemplateStore } from './templates'

/** Deadlines per art. 14, from the working-day calendar (the sync domain supplies it). */
export interface DeadlinePolicy {
  deadline(kind: IssueMode | 'status', completedMs: number): OutboxDeadline
}

export interface IssuerInfo {
  readonly name: string
  readonly code: string
  readonly region: string
  readonly terminalId: string
}

export interface IssuanceDeps {
  readonly db: Db
  readonly templates: TemplateStore
  readonly outbox: OutboxStore
  readonly sealer: Sealer
  readonly documents: IssuanceDocuments
  readonly deadlines: DeadlinePolicy
  readonly issuer: IssuerInfo
  readonly logger: Logger
  /** Who is at the window now, and a counter that moves whenever that changes. */
  readonly applicant: () => {
    readonly applicant: Applicant | undefined
    readonly generation: number
  }
  readonly staff: () => Staff | null
  /** After a change was queued (wakes the pusher). */
  readonly queued?: () => void
  readonly now?: () => number
}

const DRAFT_TTL_MS = 15 * 60_000
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
const ISSUING_ROLES: readonly Staff['role'][] = ['clerk', 'supervisor']

/** What is sealed in `issued_licences.personal_box`. */
interface PersonalFields {
  readonly holderName: string
  readonly holderCode: string
  readonly number: string
  readonly values: Record<string, string>
  readonly signerName: string
  readonly sealName: string
  readonly signTime: string
}

interface Draft {
  readonly id: string
  readonly generation: number
  readonly staffCode: string
  readonly expiresMs: number
  readonly template: LicenceTemplate
  readonly input: ComposeInput
  readonly unsigned: Uint8Array
  readonly unsignedSm3: string
}

interface LicenceRow {
  identifier: string
  type_code: string
  type_name: string
  status: string
  version: number
  valid_from: string
  valid_to: string
  mode: IssueMode
  holder_type: string
  holder_masked: string
  holder_name_masked: string
  personal_box: Buffer
  issued_at: string
  batch_no: string | null
}

/**
 * How a staff member is named in records and logs: the certificate's serial number, never the
 * ID number the certificate carries (that stays in memory).
 */
export function staffRef(staff: Staff): string {
  return staff.certificate ? `cert:${staff.certificate.serialNumber}` : maskIdNumber(staff.code)
}

/** A person's number masked; an enterprise's code (public business data) as it is. */
export function maskHolderCode(code: string, holderType: string): string {
  const kind = HOLDER_IDENTITY_TYPES.find((t) => t.code === holderType)?.kind
  return kind === 'enterprise' ? code : maskIdNumber(code)
}

export function maskName(name: string, holderType: string): string {
  const kind = HOLDER_IDENTITY_TYPES.find((t) => t.code === holderType)?.kind
  if (kind === 'enterprise') return name
  const chars = [...name]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return chars[0] + '*'
  return chars[0] + '*'.repeat(chars.length - 2) + chars.at(-1)
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

function sexLabel(sex: string): string {
  return sex === 'male' ? '男' : sex === 'female' ? '女' : '未说明'
}

/** A prefill source's value from the applicant, if their document carries it. */
function prefillValue(applicant: Applicant, source: PrefillSource): string | undefined {
  const v = applicant.view as Record<string, unknown>
  const str = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined)
  switch (source) {
    case 'holder.name':
      return applicant.name
    case 'holder.code':
      return applicant.code
    case 'holder.sex':
      return typeof v.sex === 'string' ? sexLabel(v.sex) : undefined
    case 'holder.birthDate':
      return str('birthDate')
    case 'holder.nation':
      return str('nation')
    case 'holder.address':
      return str('address')
  }
}

export class IssuanceService {
  private readonly drafts = new Map<string, Draft>()
  private readonly now: () => number

  constructor(private readonly d: IssuanceDeps) {
    this.now = d.now ?? Date.now
  }

  private requireStaff(): Staff {
    const staff = this.d.staff()
    if (!staff) throw new CounterError('AUTH_REQUIRED')
    if (!ISSUING_ROLES.includes(staff.role)) throw new CounterError('ISSUANCE_FORBIDDEN')
    return staff
  }

  private requireApplicant(): { applicant: Applicant; generation: number } {
    const { applicant, generation } = this.d.applicant()
    if (!applicant) throw new CounterError('SCOPE_NO_HOLDER')
    return { applicant, generation }
  }

  private templateFor(typeCode: string, applicant: Applicant): LicenceTemplate {
    const t = this.d.templates.get(typeCode)
    if (!t.holderTypes.includes(applicant.holderTypeCode))
      throw new CounterError('ISSUANCE_HOLDER_TYPE', {
        params: { type: t.name, holderType: holderIdentityTypeName(applicant.holderTypeCode) },
      })
    return t
  }

  types(): LicenceTemplateView[] {
    const { applicant } = this.d.applicant()
    return this.d.templates.list().map((t) => templateView(t, applicant?.holderTypeCode))
  }

  /** Values with the holder-bound fields taken from the session (what the screen sent is ignored). */
  private effectiveValues(
    t: LicenceTemplate,
    applicant: Applicant,
    values: FaceValues,
  ): FaceValues {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(values)) out[k] = v.trim()
    for (const f of t.fields) {
      if (!f.prefill || !f.locked) continue
      const v = prefillValue(applicant, f.prefill)
      if (v !== undefined) out[f.key] = v
    }
    return out
  }

  draft(typeCode: string): IssuanceDraft {
    const { applicant } = this.requireApplicant()
    const t = this.templateFor(typeCode, applicant)
    const values: Record<string, string> = {}
    for (const f of t.fields) {
      const v = f.prefill ? prefillValue(applicant, f.prefill) : undefined
      // A person's full number never reaches the screen (an enterprise's USCC is public); the
      // core puts it back when composing.
      values[f.key] =
        v === undefined
          ? ''
          : f.prefill === 'holder.code' && applicant.kind === 'person'
            ? maskIdNumber(v)
            : v
    }
    const validFrom = shanghaiDate(this.now())
    const validTo = defaultValidTo(t.validity, validFrom)
    return {
      typeCode: t.typeCode,
      typeName: t.name,
      holder: {
        name: applicant.name,
        codeMasked: maskHolderCode(applicant.code, applicant.holderTypeCode),
        identityType: applicant.holderTypeCode,
        identityTypeName: holderIdentityTypeName(applicant.holderTypeCode),
      },
      issuer: { name: this.d.issuer.name, code: this.d.issuer.code, region: this.d.issuer.region },
      values,
      validFrom,
      ...(validTo ? { validTo } : {}),
      issues: validateFaceValues(t.fields, this.effectiveValues(t, applicant, values)),
    }
  }

  validate(typeCode: string, values: FaceValues): FieldIssue[] {
    const { applicant } = this.requireApplicant()
    const t = this.templateFor(typeCode, applicant)
    return validateFaceValues(t.fields, this.effectiveValues(t, applicant, values))
  }

  private checkValidity(t: LicenceTemplate, validFrom: string, validTo: string): void {
    const bad = (problem: string) =>
      new CounterError('ISSUANCE_VALIDITY_INVALID', { params: { problem } })
    if (!isCalendarDate(validFrom)) throw bad('起始日期不存在')
    if (t.validity.kind === 'long-term' && validTo !== 'long-term') throw bad('该证照为长期有效')
    if (validTo !== 'long-term') {
      if (!isCalendarDate(validTo)) throw bad('截止日期不存在')
      if (validTo <= validFrom) throw bad('截止日期应晚于起始日期')
    } else if (t.validity.kind !== 'long-term') throw bad('该证照不能为长期有效')
  }

  async signers(): Promise<SignerOption[]> {
    return this.d.documents.signers()
  }

  /** Reserves the identifier, composes the OFD and renders it: the exact file that will be signed. */
  async preview(request: IssuanceRequest): Promise<IssuancePreview> {
    const staff = this.requireStaff()
    const { applicant, generation } = this.requireApplicant()
    const t = this.templateFor(request.typeCode, applicant)
    const values = this.effectiveValues(t, applicant, request.values)
    const issues = validateFaceValues(t.fields, values)
    if (issues.length > 0)
      throw new CounterError('ISSUANCE_INVALID_FIELDS', { params: { count: issues.length } })
    this.checkValidity(t, request.validFrom, request.validTo)

    const serial = this.d.db.transaction(() =>
      nextSerial(this.d.db, this.d.issuer.terminalId, this.now()),
    )()
    const identifier = licenceIdentifier(t.typeCode, this.d.issuer.code, serial)
    const number = licenceNumber(t, serial, values)
    const input = composeInput({
      template: t,
      identifier,
      number,
      issuer: this.d.issuer,
      holder: {
        name: applicant.name,
        code: applicant.code,
        identityType: applicant.holderTypeCode,
      },
      values,
      issuedOn: shanghaiDate(this.now()),
      validFrom: request.validFrom,
      validTo: request.validTo,
    })
    const unsigned = await this.d.documents.compose(input)
    if (unsigned.length > MAX_DOCUMENT_BYTES)
      throw new CounterError('ISSUANCE_DOCUMENT_TOO_LARGE', {
        params: { size: (unsigned.length / 1048576).toFixed(1) },
      })
    const pages = await this.d.documents.render(unsigned)
    const draft: Draft = {
      id: randomUUID(),
      generation,
      staffCode: staff.code,
      expiresMs: this.now() + DRAFT_TTL_MS,
      template: t,
      input,
      unsigned,
      unsignedSm3: hex(sm3(unsigned)),
    }
    this.prune()
    this.drafts.set(draft.id, draft)
    this.d.logger.info('licence previewed', {
      type: t.typeCode,
      identifier,
      bytes: unsigned.length,
    })
    return {
      draftId: draft.id,
      identifier,
      number,
      sm3: draft.unsignedSm3,
      bytes: unsigned.length,
      pages: pages.map((p) => ({ widthMm: p.widthMm, heightMm: p.heightMm, image: p.image })),
      expiresAt: new Date(draft.expiresMs).toISOString(),
    }
  }

  private prune(): void {
    const now = this.now()
    for (const [id, d] of this.drafts) if (d.expiresMs < now) this.drafts.delete(id)
    while (this.drafts.size >= 8) this.drafts.delete(this.drafts.keys().next().value!)
  }

  /** Drafts belong to one applicant: drop them all when the applicant changes. */
  forgetDrafts(): void {
    this.drafts.clear()
  }

  /** Signs the previewed file and issues the licence: record and outbox item in one transaction. */
  async sign(draftId: string, signer: SignerChoice): Promise<IssuedLicenceView> {
    const staff = this.requireStaff()
    const draft = this.drafts.get(draftId)
    const { generation } = this.d.applicant()
    if (
      !draft ||
      draft.expiresMs < this.now() ||
      draft.generation !== generation ||
      draft.staffCode !== staff.code
    ) {
      if (draft) this.drafts.delete(draftId)
      throw new CounterError('ISSUANCE_DRAFT_EXPIRED')
    }
    const signed = await this.d.documents.sign(draft.unsigned, signer, {
      identifier: draft.input.identifier,
    })
    // The applicant may have changed while the key was busy.
    if (this.d.applicant().generation !== draft.generation)
      throw new CounterError('ISSUANCE_DRAFT_EXPIRED')
    this.drafts.delete(draftId)
    const view = this.record(draft.template, draft.input, signed, { mode: 'offline', staff })
    this.d.queued?.()
    return view
  }

  /**
   * Writes a signed licence: its record, its document and its outbox item, in one transaction.
   * `within` runs inside that transaction too (a bulk batch marks its row issued there), and a
   * throw from it undoes everything.
   */
  record(
    t: LicenceTemplate,
    input: ComposeInput,
    signed: SignedDocument,
    o: { mode: IssueMode; staff: Staff; batchNo?: string; within?: () => void },
  ): IssuedLicenceView {
    if (signed.bytes.length > MAX_DOCUMENT_BYTES)
      throw new CounterError('ISSUANCE_DOCUMENT_TOO_LARGE', {
        params: { size: (signed.bytes.length / 1048576).toFixed(1) },
      })
    const nowMs = this.now()
    const completedAt = new Date(nowMs).toISOString()
    const documentSm3 = hex(sm3(signed.bytes))
    const holderMasked = maskHolderCode(input.holder.code, input.holder.identityType)
    const holderNameMasked = maskName(input.holder.name, input.holder.identityType)
    const personal: PersonalFields = {
      holderName: input.holder.name,
      holderCode: input.holder.code,
      number: input.number,
      values: { ...input.values },
      signerName: signed.signerName,
      sealName: signed.sealName,
      signTime: signed.signedAt,
    }
    const record: ExchangeRecord = {
      kind: 'issue',
      licenseName: t.name,
      licenseTypeCode: t.typeCode,
      licenseTypeName: t.name,
      licenseNumber: input.number,
      licenseIdentifier: input.identifier,
      issuerName: input.issuer.name,
      issuerCode: input.issuer.code,
      issueDate: input.issuedOn,
      holderName: input.holder.name,
      holderCode: input.holder.code,
      holderCodeType: input.holder.identityType,
      holderCodeTypeName: input.holder.identityTypeName,
      validFrom: input.validFrom,
      validTo: input.validTo,
      signerName: signed.signerName,
      signTime: signed.signedAt,
      sealName: signed.sealName,
      regionCode: this.d.issuer.region,
      status: '有效',
      faceData: { ...input.values },
      issueMode: o.mode,
      completedAt,
      terminalId: this.d.issuer.terminalId,
    }
    const deadline = this.d.deadlines.deadline(o.mode, nowMs)
    const db = this.d.db
    db.transaction(() => {
      // First, so that a row someone else already issued is refused before anything is written.
      o.within?.()
      db.prepare(
        `INSERT INTO issued_licences (identifier, type_code, type_name, serial, status, version,
           valid_from, valid_to, mode, holder_type, holder_masked, holder_name_masked, personal_box,
           document_sm3, issued_at, issued_by, terminal_id, batch_no)
         VALUES (@identifier, @typeCode, @typeName, @serial, '有效', 1, @validFrom, @validTo, @mode,
           @holderType, @holderMasked, @holderNameMasked, @personal, @documentSm3, @issuedAt,
           @issuedBy, @terminalId, @batchNo)`,
      ).run({
        identifier: input.identifier,
        typeCode: t.typeCode,
        typeName: t.name,
        serial: input.identifier.split('.').at(-3),
        validFrom: input.validFrom,
        validTo: input.validTo,
        mode: o.mode,
        holderType: input.holder.identityType,
        holderMasked,
        holderNameMasked,
        personal: this.d.sealer.sealJson(personal, `licence:${input.identifier}:personal`),
        documentSm3,
        issuedAt: completedAt,
        issuedBy: staffRef(o.staff),
        terminalId: this.d.issuer.terminalId,
        batchNo: o.batchNo ?? null,
      })
      db.prepare('INSERT INTO issued_documents (identifier, document_box) VALUES (?, ?)').run(
        input.identifier,
        this.d.sealer.seal(signed.bytes, `licence:${input.identifier}:document`),
      )
      this.d.outbox.enqueue({
        kind: 'issue',
        identifier: input.identifier,
        typeCode: t.typeCode,
        typeName: t.name,
        holderMasked: `${holderNameMasked} ${holderMasked}`,
        mode: o.mode,
        version: 1,
        operation: 'I',
        record,
        document: signed.bytes,
        documentSm3,
        completedAtMs: nowMs,
        deadline,
        ...(o.batchNo ? { batchNo: o.batchNo } : {}),
      })
    })()
    this.d.logger.info('licence issued', {
      identifier: input.identifier,
      type: t.typeCode,
      mode: o.mode,
      holder: holderMasked,
      deadline: deadline.at,
      provisional: deadline.provisional,
    })
    return this.view(this.row(input.identifier))
  }

  private row(identifier: string): LicenceRow {
    const r = this.d.db
      .prepare('SELECT * FROM issued_licences WHERE identifier = ?')
      .get(identifier) as LicenceRow | undefined
    if (!r) throw new CounterError('ISSUANCE_LICENCE_NOT_FOUND', { params: { identifier } })
    return r
  }

  private view(r: LicenceRow): IssuedLicenceView {
    const pending = this.d.outbox.pendingFor(r.identifier)
    const personal = this.d.sealer.openJson<PersonalFields>(
      r.personal_box,
      `licence:${r.identifier}:personal`,
    )
    return {
      identifier: r.identifier,
      typeCode: r.type_code,
      typeName: r.type_name,
      number: personal.number,
      holderNameMasked: r.holder_name_masked,
      holderCodeMasked: r.holder_masked,
      status: r.status,
      version: r.version,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      issuedAt: r.issued_at,
      mode: r.mode,
      ...(pending
        ? {
            pending: {
              deadline: { at: pending.deadline, provisional: pending.deadlineProvisional },
              state: pending.state,
            },
          }
        : {}),
      actions: [...allowedStatusActions(r.status)],
    }
  }

  /** Licences issued on this terminal, newest first. */
  issued(limit = 50): IssuedLicenceView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM issued_licences ORDER BY issued_at DESC LIMIT ?')
      .all(limit) as LicenceRow[]
    return rows.map((r) => this.view(r))
  }

  /**
   * A status change (art. 18): recorded with its reason and queued like an issuance, in one
   * transaction. Suspension and pledge can be lifted; cancellation, revocation and abolition
   * are final.
   */
  changeStatus(identifier: string, req: StatusChangeRequest): IssuedLicenceView {
    const staff = this.requireStaff()
    const db = this.d.db
    const nowMs = this.now()
    const result = db.transaction(() => {
      const r = this.row(identifier)
      const action: StatusAction = req.action
      if (!allowedStatusActions(r.status).includes(action))
        throw new CounterError('ISSUANCE_STATUS_NOT_ALLOWED', {
          params: { status: r.status, action: STATUS_ACTIONS[action].label },
        })
      let validTo = r.valid_to
      if (action === 'renew') {
        if (!req.validTo) throw new CounterError('ISSUANCE_RENEW_NEEDS_DATE')
        const next = req.validTo === 'long-term' ? '长期' : req.validTo
        if (
          next !== '长期' &&
          (r.valid_to === '长期' || next <= r.valid_to || !isCalendarDate(next))
        )
          throw new CounterError('ISSUANCE_RENEW_NEEDS_DATE')
        validTo = next
      }
      let to: string = STATUS_ACTIONS[action].to
      if (action === 'unsuspend' || action === 'unpledge') {
        const before = db
          .prepare(
            `SELECT from_status FROM licence_status_changes WHERE identifier = ? AND action = ?
             ORDER BY id DESC LIMIT 1`,
          )
          .get(identifier, action === 'unsuspend' ? 'suspend' : 'pledge') as
          { from_status: string } | undefined
        to = before?.from_status ?? '有效'
      }
      const version = r.version + 1
      const reason = req.reason.trim()
      const personal = this.d.sealer.openJson<PersonalFields>(
        r.personal_box,
        `licence:${identifier}:personal`,
      )
      db.prepare(
        'UPDATE issued_licences SET status = ?, version = ?, valid_to = ? WHERE identifier = ?',
      ).run(to, version, validTo, identifier)
      db.prepare(
        `INSERT INTO licence_status_changes (identifier, action, from_status, to_status, version,
           valid_to, reason_box, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        identifier,
        action,
        r.status,
        to,
        version,
        action === 'renew' ? validTo : null,
        this.d.sealer.seal(Buffer.from(reason, 'utf8'), `status:${identifier}:${version}:reason`),
        new Date(nowMs).toISOString(),
        staffRef(staff),
      )
      const t = this.d.templates.list().find((x) => x.typeCode === r.type_code)
      const record: ExchangeRecord = {
        kind: 'status',
        action,
        licenseName: r.type_name,
        licenseTypeCode: r.type_code,
        licenseTypeName: r.type_name,
        licenseNumber: personal.number,
        licenseIdentifier: identifier,
        issuerName: this.d.issuer.name,
        issuerCode: this.d.issuer.code,
        issueDate: shanghaiDate(new Date(r.issued_at)),
        holderName: personal.holderName,
        holderCode: personal.holderCode,
        holderCodeType: r.holder_type,
        holderCodeTypeName: holderIdentityTypeName(r.holder_type),
        validFrom: r.valid_from,
        validTo,
        signerName: personal.signerName,
        signTime: personal.signTime,
        sealName: personal.sealName,
        regionCode: this.d.issuer.region,
        status: to,
        statusReason: reason,
        faceData: personal.values,
        issueMode: r.mode,
        completedAt: new Date(nowMs).toISOString(),
        terminalId: this.d.issuer.terminalId,
      }
      this.d.outbox.enqueue({
        kind: 'status',
        action,
        identifier,
        typeCode: r.type_code,
        typeName: t?.name ?? r.type_name,
        holderMasked: `${r.holder_name_masked} ${r.holder_masked}`,
        mode: r.mode,
        version,
        operation: 'U',
        record,
        completedAtMs: nowMs,
        deadline: this.d.deadlines.deadline('status', nowMs),
      })
      return { from: r.status, to }
    })()
    this.d.logger.info('licence status changed', {
      identifier,
      action: req.action,
      ...result,
      by: staffRef(staff),
    })
    this.d.queued?.()
    return this.view(this.row(identifier))
  }
}
