/**
 * What a licence's checks add up to for the clerk: the findings, most serious first, and one
 * verdict. A licence is `ok` only when its seal verified, the library agrees and it is in force.
 */
import type {
  Finding,
  FindingCode,
  LibraryCheck,
  LicenceSeal,
  LicenceStatus,
  Verification,
} from '../../shared/domain'

const TONE_ORDER = { danger: 0, caution: 1, info: 2 } as const

export interface VerdictInput {
  readonly seal: LicenceSeal
  readonly library: LibraryCheck & { reachable: boolean }
  readonly status: LicenceStatus
  readonly expired: boolean
  readonly identifierCheckOk: boolean
}

export function sealFinding(seal: LicenceSeal): Finding | undefined {
  switch (seal.state) {
    case 'valid':
      return undefined
    case 'altered':
      return { code: 'seal-altered', tone: 'danger', detail: seal.reason }
    case 'invalid':
      return { code: 'seal-invalid', tone: 'danger', detail: seal.reason }
    case 'untrusted':
      return { code: 'seal-untrusted', tone: 'danger', detail: seal.reason }
    case 'unverifiable':
      return { code: 'seal-unverifiable', tone: 'danger', detail: seal.reason }
    case 'unchecked':
      return {
        code: 'seal-unchecked',
        tone: 'caution',
        ...(seal.reason ? { detail: seal.reason } : {}),
      }
  }
}

export function assess(input: VerdictInput): Pick<Verification, 'verdict' | 'findings'> {
  const findings: Finding[] = []
  const seal = sealFinding(input.seal)
  if (seal) findings.push(seal)
  if (!input.status.inForce)
    findings.push({ code: 'not-in-force', tone: 'danger', detail: input.status.label })
  if (input.expired) findings.push({ code: 'expired', tone: 'danger' })
  if (input.library.file === 'inconsistent')
    findings.push({ code: 'file-inconsistent', tone: 'danger' })
  if (input.library.info === 'inconsistent')
    findings.push({ code: 'info-inconsistent', tone: 'danger' })
  if (input.library.info === 'not-found') findings.push({ code: 'not-found', tone: 'danger' })
  if (!input.library.reachable) findings.push({ code: 'library-unreachable', tone: 'caution' })
  if (!input.identifierCheckOk) findings.push({ code: 'identifier-check', tone: 'caution' })
  findings.sort((a, b) => TONE_ORDER[a.tone] - TONE_ORDER[b.tone])
  const verdict = findings.some((f) => f.tone === 'danger')
    ? 'danger'
    : findings.some((f) => f.tone === 'caution')
      ? 'caution'
      : 'ok'
  return { verdict, findings }
}

export interface MaterialInput {
  readonly seal: LicenceSeal
  readonly status: LicenceStatus
  readonly expired: boolean
  /** What the library answered when it was asked (verify-file, verify-info), if it was. */
  readonly library?: LibraryCheck | undefined
}

const SEAL_UNUSABLE = {
  altered: 'seal-altered',
  invalid: 'seal-invalid',
  untrusted: 'seal-untrusted',
  unverifiable: 'seal-unverifiable',
} as const satisfies Partial<Record<LicenceSeal['state'], FindingCode>>

/**
 * Why a licence may not go into the application materials: a failed seal check, a status not in
 * force, a passed validity, or a library that says the file or the information is not its own.
 * Empty when it may.
 */
export function materialProblems(input: MaterialInput): FindingCode[] {
  const problems: FindingCode[] = []
  const seal = SEAL_UNUSABLE[input.seal.state as keyof typeof SEAL_UNUSABLE]
  if (seal) problems.push(seal)
  if (!input.status.inForce) problems.push('not-in-force')
  if (input.expired) problems.push('expired')
  if (input.library?.file === 'inconsistent') problems.push('file-inconsistent')
  if (input.library?.info === 'inconsistent') problems.push('info-inconsistent')
  if (input.library?.info === 'not-found') problems.push('not-found')
  return problems
}

/** Whether a licence may go into the application materials. */
export function usableAsMaterial(input: MaterialInput): boolean {
  return materialProblems(input).length === 0
}
