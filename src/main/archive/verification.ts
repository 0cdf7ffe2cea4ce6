/**
 * The verification result printed on the copy: the OFD seal check and the library's status, each
 * said plainly, and `未核验` with the reason whenever a check could not be made. Nothing here
 * ever turns a missing check into "valid".
 */
import type { ArchiveVerification, SealVerification } from '../../shared/domain'
import { SHANGHAI_OFFSET_MS } from '../../shared/time'

export type SealOutcome =
  | { readonly kind: 'checked'; readonly result: SealVerification }
  /** The licence is an image (PNG/JPEG): there is no electronic seal to check. */
  | { readonly kind: 'image' }
  /** No verifier, or it failed: why. */
  | { readonly kind: 'unchecked'; readonly reason: string }

export type LibraryOutcome =
  | {
      readonly kind: 'answered'
      readonly exists: boolean
      readonly status?: string
      readonly at: Date
    }
  | { readonly kind: 'unchecked'; readonly reason: string }

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026年5月20日 14:32` in Shanghai time. */
export function shanghaiDateTimeWords(at: Date, seconds = false): string {
  const s = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  const time = `${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}${seconds ? `:${pad(s.getUTCSeconds())}` : ''}`
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${time}`
}

/** `2027年5月20日` from `2027-05-20`. */
export function dateWords(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

function sealPart(outcome: SealOutcome): ArchiveVerification['seal'] {
  if (outcome.kind === 'image')
    return { state: 'not-applicable', text: '图像格式，无电子签章可核验' }
  if (outcome.kind === 'unchecked')
    return { state: 'unchecked', text: `电子签章未核验（${outcome.reason}）` }
  const sigs = outcome.result.signatures
  if (sigs.length === 0) return { state: 'none', text: '文件未含电子签章' }
  if (outcome.result.allValid) {
    const signers = [...new Set(sigs.map((s) => s.signer ?? s.sealName).filter(Boolean))]
    return {
      state: 'valid',
      text: `电子签章有效（${sigs.length} 个签章${signers.length ? `，签章人：${signers.join('、')}` : ''}）`,
    }
  }
  const bad = sigs.find((s) => s.status !== 'valid')!
  return {
    state: 'invalid',
    text: `电子签章核验未通过：${bad.message}${sigs.length > 1 ? `（共 ${sigs.length} 个签章）` : ''}`,
  }
}

function libraryPart(
  outcome: LibraryOutcome,
  inForce: readonly string[],
): ArchiveVerification['library'] {
  if (outcome.kind === 'unchecked')
    return { state: 'unchecked', text: `证照库状态未查询（${outcome.reason}）` }
  const when = shanghaiDateTimeWords(outcome.at)
  if (!outcome.exists) return { state: 'not-found', text: `证照库中查无此证照（${when} 查询）` }
  const status = outcome.status ?? '未返回状态'
  return {
    state: outcome.status && inForce.includes(outcome.status) ? 'in-force' : 'not-in-force',
    status,
    text: `证照库状态：${status}（${when} 查询）`,
  }
}

export function describeVerification(
  seal: SealOutcome,
  library: LibraryOutcome,
  inForceStatuses: readonly string[],
  checkedAt: Date,
): ArchiveVerification {
  return {
    seal: sealPart(seal),
    library: libraryPart(library, inForceStatuses),
    checkedAt: checkedAt.toISOString(),
  }
}

/** The one line the header prints. */
export function verificationLine(v: ArchiveVerification): string {
  return `${v.seal.text}；${v.library.text}`
}

/** Whether the copy may show the verification in the "good" colour: both parts positively fine. */
export function verificationGood(v: ArchiveVerification): boolean {
  return v.seal.state === 'valid' && v.library.state === 'in-force'
}
