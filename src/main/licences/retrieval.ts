/**
 * Scoped retrieval (Henan rules art. 21–22): a query names only the holder identified at the
 * window and only the licence types of the selected matter. The caller cannot widen either; what
 * the library returns outside that scope is dropped, not shown.
 */
import type { LicenceList, LicenceSeal, LicenceSummary, Matter } from '../../shared/domain'
import { parseLicenceId } from '../../shared/ids'
import { isPastValidity, shanghaiDate } from '../../shared/time'
import type { Logger } from '../log'
import type { CatalogueService } from './catalogue'
import type { LibraryClient } from './client'
import type { WireLicence, WireOperator } from './wire'

export interface ScopedHolder {
  /** The full identity code (citizen ID / USCC), held in memory only. */
  readonly code: string
  readonly holderTypeCode: string
}

export type Operator = WireOperator

export interface RetrievalContext {
  readonly client: LibraryClient
  readonly catalogue: CatalogueService
  readonly inForceStatuses: readonly string[]
  readonly terminalId: string
  readonly logger: Logger
  readonly now?: () => Date
}

export function matterTypes(matter: Matter): string[] {
  return [...new Set([...matter.requiredTypes, ...matter.optionalTypes])]
}

export function toSummary(
  w: WireLicence,
  inForce: readonly string[],
  today: string,
  typeName?: string,
  seal?: LicenceSeal,
): LicenceSummary {
  const validTo = w.validEnd === '长期' ? 'long-term' : w.validEnd
  return {
    identifier: w.licenseIdentifier,
    identifierCheckOk: parseLicenceId(w.licenseIdentifier).valid,
    typeCode: w.licenseTypeCode,
    typeName: typeName ?? w.licenseTypeName,
    number: w.licenseNumber,
    holderName: w.holderName,
    issuer: w.issueOrgName,
    issuerCode: w.issueOrgCode,
    issuedOn: w.issueDate,
    validFrom: w.validBegin,
    validTo,
    status: {
      code: w.licenseStatus,
      label: w.licenseStatus,
      inForce: inForce.includes(w.licenseStatus),
    },
    expired: isPastValidity(validTo, today),
    ...(seal ? { seal } : {}),
  }
}

/** Whether a licence the library returned belongs to this holder and this matter. */
export function inScope(w: WireLicence, holder: ScopedHolder, matter: Matter): boolean {
  return (
    matterTypes(matter).includes(w.licenseTypeCode) &&
    w.holderIdentityNum.toUpperCase() === holder.code.toUpperCase()
  )
}

export interface ListOptions {
  readonly businessSerial?: string | null
  /** The seal checks already done for this applicant, by identifier. */
  readonly seals?: ReadonlyMap<string, LicenceSeal>
}

/** Orders and summarises the records of one matter, and names the required types missing. */
export function buildList(
  ctx: RetrievalContext,
  records: readonly WireLicence[],
  matter: Matter,
  fetchedAt: Date,
  seals?: ReadonlyMap<string, LicenceSeal>,
): LicenceList {
  const types = matterTypes(matter)
  const today = shanghaiDate(ctx.now?.() ?? new Date())
  const order = new Map(types.map((t, i) => [t, i]))
  const items = records
    .map((w) =>
      toSummary(
        w,
        ctx.inForceStatuses,
        today,
        ctx.catalogue.licenceType(w.licenseTypeCode)?.name,
        seals?.get(w.licenseIdentifier),
      ),
    )
    .sort(
      (a, b) =>
        (order.get(a.typeCode) ?? 99) - (order.get(b.typeCode) ?? 99) ||
        b.issuedOn.localeCompare(a.issuedOn),
    )
  const present = new Set(items.map((i) => i.typeCode))
  return {
    matterCode: matter.code,
    items,
    missingTypes: matter.requiredTypes
      .filter((t) => !present.has(t))
      .map((code) => ({ code, name: ctx.catalogue.licenceType(code)?.name ?? code })),
    fetchedAt: fetchedAt.toISOString(),
  }
}

/** Queries the library within scope; returns the list and the in-scope records behind it. */
export async function listForMatter(
  ctx: RetrievalContext,
  holder: ScopedHolder,
  matter: Matter,
  operator: Operator,
  options: ListOptions = {},
): Promise<{ list: LicenceList; records: WireLicence[] }> {
  const wire = await ctx.client.query({
    holderCode: holder.code,
    holderIdentityType: holder.holderTypeCode,
    licenseTypeCodes: matterTypes(matter),
    useReason: matter.reasonOfUse,
    serviceItemCode: matter.code,
    ...(options.businessSerial ? { businessSerialNo: options.businessSerial } : {}),
    operator,
    terminalId: ctx.terminalId,
  })
  const records = wire.filter((w) => inScope(w, holder, matter))
  if (records.length !== wire.length) {
    ctx.logger.warn('library returned licences outside the query scope; dropped', {
      dropped: wire.length - records.length,
      matter: matter.code,
    })
  }
  const now = ctx.now?.() ?? new Date()
  return { list: buildList(ctx, records, matter, now, options.seals), records }
}
