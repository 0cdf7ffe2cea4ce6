/**
 * A holder typed in by a supervisor (rules art. 21–22): only when no card, chip or key can
 * identify them, with the reason recorded. Numbers are checked as strictly as a card read would
 * be: a citizen ID must pass MOD 11-2, a USCC GB 32100.
 */
import type { ManualHolderInput } from '../../shared/contract/licences'
import { MANUAL_HOLDER_TYPES, type HolderKind, type ManualHolder } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import { checkCitizenId, checkUscc, maskIdNumber } from '../../shared/ids'
import type { Applicant } from '../session'

/** The kind of holder a type code may be typed in for, if a supervisor may type it in at all. */
function kindOf(holderTypeCode: string): HolderKind | undefined {
  return (Object.keys(MANUAL_HOLDER_TYPES) as HolderKind[]).find((kind) =>
    (MANUAL_HOLDER_TYPES[kind] as readonly string[]).includes(holderTypeCode),
  )
}

export function manualApplicant(
  input: ManualHolderInput,
  supervisor: { name: string },
  now = new Date(),
): Applicant {
  const code = input.code.trim().toUpperCase()
  const kind = kindOf(input.holderTypeCode)
  if (!kind)
    throw new CounterError('MANUAL_HOLDER_INVALID', {
      params: { problem: `不支持的主体类型 ${input.holderTypeCode}` },
    })
  if (kind !== input.kind)
    throw new CounterError('MANUAL_HOLDER_INVALID', {
      params: { problem: '主体类型与号码类型不符' },
    })
  if (input.holderTypeCode === '111' && !checkCitizenId(code).valid)
    throw new CounterError('MANUAL_HOLDER_INVALID', {
      params: { problem: '公民身份号码校验不通过' },
    })
  if (input.holderTypeCode === '001' && !checkUscc(code).valid)
    throw new CounterError('MANUAL_HOLDER_INVALID', {
      params: { problem: '统一社会信用代码校验不通过' },
    })
  if (!/^[0-9A-Z-]{4,64}$/.test(code))
    throw new CounterError('MANUAL_HOLDER_INVALID', { params: { problem: '号码含有非法字符' } })
  const view: ManualHolder = {
    source: 'manual',
    kind,
    holderTypeCode: input.holderTypeCode,
    name: input.name.trim(),
    idNumberMasked: maskIdNumber(code),
    idNumberCheckOk: true,
    reason: input.reason.trim(),
    enteredBy: supervisor.name,
    readAt: now.toISOString(),
  }
  return { kind, code, holderTypeCode: input.holderTypeCode, name: view.name, view }
}
