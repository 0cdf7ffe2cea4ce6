/**
 * A licence's face, resolved the same way whether it is issued at the window or from a bulk
 * list: the number by the type's numbering rule, the holder's identity type by name, and a
 * long-term validity as the face writes it.
 */
import { holderIdentityTypeName, type LicenceTemplate } from '../../shared/domain'
import type { ComposeInput } from './documents'

/** The type's prefix and the serial, or the value of the face field the type numbers by. */
export function licenceNumber(
  t: LicenceTemplate,
  serial: string,
  values: Readonly<Record<string, string>>,
): string {
  return t.numbering.kind === 'serial'
    ? t.numbering.prefix + serial
    : (values[t.numbering.field] ?? '')
}

export function composeInput(o: {
  readonly template: LicenceTemplate
  readonly identifier: string
  readonly number: string
  readonly issuer: { readonly name: string; readonly code: string }
  readonly holder: { readonly name: string; readonly code: string; readonly identityType: string }
  readonly values: Readonly<Record<string, string>>
  readonly issuedOn: string
  readonly validFrom: string
  /** `YYYY-MM-DD` or `long-term`. */
  readonly validTo: string
}): ComposeInput {
  return {
    template: o.template,
    identifier: o.identifier,
    number: o.number,
    issuer: { name: o.issuer.name, code: o.issuer.code },
    holder: {
      name: o.holder.name,
      code: o.holder.code,
      identityType: o.holder.identityType,
      identityTypeName: holderIdentityTypeName(o.holder.identityType),
    },
    values: o.values,
    issuedOn: o.issuedOn,
    validFrom: o.validFrom,
    validTo: o.validTo === 'long-term' ? '长期' : o.validTo,
  }
}
