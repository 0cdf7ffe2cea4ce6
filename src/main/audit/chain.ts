/**
 * The access log's hash chain as pure functions: each entry's hash is SM3 over a canonical
 * serialisation of its fields and its predecessor's hash, so any change, removal or reordering
 * shows up as the first entry that no longer follows from the one before.
 */
import type { AuditAction, ChainCheck } from '../../shared/domain'
import { sm3 } from '../crypto'

/** The predecessor of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** Bump when the canonical form changes; old entries keep verifying under their version. */
const CANONICAL_VERSION = 1

export interface ChainedFields {
  readonly seq: number
  readonly at: string
  readonly action: AuditAction
  readonly staffName: string
  readonly staffCert: string
  readonly staffRole: string
  readonly terminal: string
  readonly holder: string
  readonly holderType: string
  readonly matter: string
  readonly reason: string
  readonly businessSerial: string
  readonly licences: readonly string[]
  readonly result: string
  readonly detail: string
  readonly prevHash: string
}

/** A JSON array in a fixed field order: unambiguous, and stable across engines. */
export function canonicalEntry(e: ChainedFields): string {
  return JSON.stringify([
    CANONICAL_VERSION,
    e.seq,
    e.at,
    e.action,
    e.staffName,
    e.staffCert,
    e.staffRole,
    e.terminal,
    e.holder,
    e.holderType,
    e.matter,
    e.reason,
    e.businessSerial,
    [...e.licences],
    e.result,
    e.detail,
    e.prevHash,
  ])
}

export function entryHash(e: ChainedFields): string {
  return Buffer.from(sm3(new TextEncoder().encode(canonicalEntry(e)))).toString('hex')
}

export interface ChainStart {
  /** The seq the first remaining entry must have (1, or one after the pruned anchor). */
  readonly seq: number
  readonly hash: string
}

/**
 * Walks entries in seq order and reports the first that does not follow: a seq out of order
 * (an entry removed), a previous-hash that is not its predecessor's (reordered or spliced), or a
 * hash that does not match its own fields (altered).
 */
export function verifyChain(
  entries: Iterable<ChainedFields & { readonly hash: string }>,
  start: ChainStart = { seq: 1, hash: GENESIS_HASH },
): ChainCheck {
  let expectedSeq = start.seq
  let expectedPrev = start.hash
  let checked = 0
  let firstSeq: number | null = null
  let lastSeq: number | null = null
  for (const e of entries) {
    firstSeq ??= e.seq
    const problem =
      e.seq !== expectedSeq
        ? 'gap'
        : e.prevHash !== expectedPrev
          ? 'link'
          : entryHash(e) !== e.hash
            ? 'hash'
            : undefined
    if (problem)
      return { ok: false, checked, firstSeq, lastSeq, broken: { seq: e.seq, at: e.at, problem } }
    checked++
    lastSeq = e.seq
    expectedSeq = e.seq + 1
    expectedPrev = e.hash
  }
  return { ok: true, checked, firstSeq, lastSeq }
}
