/**
 * What a licence's checks add up to for the clerk: the findings, most serious first, and one
 * verdict. A licence is `ok` only when its seal verified, the library agrees and it is in force.
 * The serious ones are exactly what keeps a licence out of the materials (`materialProblems`).
 */
import {
  materialProblems,
  type Finding,
  type FindingCode,
  type LibraryCheck,
  type LicenceSeal,
  type LicenceStatus,
  type Verification,
} from '../../shared/domain'

export interface VerdictInput {
  readonly seal: LicenceSeal
  readonly library: LibraryCheck & { reachable: boolean }
  readonly status: LicenceStatus
  readonly expired: boolean
  readonly identifierCheckOk: boolean
}

/** What the clerk reads beside a serious finding: the seal check's reason, the status. */
function detailOf(code: FindingCode, input: VerdictInput): Pick<Finding, 'detail'> {
  if (code === 'not-in-force') return { detail: input.status.label }
  if (code.startsWith('seal-') && 'reason' in input.seal) return { detail: input.seal.reason }
  return {}
}

export function assess(input: VerdictInput): Pick<Verification, 'verdict' | 'findings'> {
  const findings: Finding[] = materialProblems(input).map((code) => ({
    code,
    tone: 'danger',
    ...detailOf(code, input),
  }))
  if (input.seal.state === 'unchecked')
    findings.push({
      code: 'seal-unchecked',
      tone: 'caution',
      ...(input.seal.reason ? { detail: input.seal.reason } : {}),
    })
  if (!input.library.reachable) findings.push({ code: 'library-unreachable', tone: 'caution' })
  if (!input.identifierCheckOk) findings.push({ code: 'identifier-check', tone: 'caution' })
  const verdict = findings.some((f) => f.tone === 'danger')
    ? 'danger'
    : findings.length > 0
      ? 'caution'
      : 'ok'
  return { verdict, findings }
}
