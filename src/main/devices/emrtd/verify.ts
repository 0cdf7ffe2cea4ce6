/**
 * From raw chip files to a document: parse the LDS and run Passive Authentication. Pure, so the
 * same function serves a fresh read, the CLI's `verify --dir`, and the tests.
 */
import { CounterError } from '../../../shared/errors'
import type { ActiveAuthenticationResult } from './aa'
import type { LdsFileName } from './lds/files'
import {
  parseCom,
  parseDg1,
  parseDg11,
  parseDg12,
  parseDg2,
  type ComFile,
  type Dg11,
  type Dg12,
  type FaceImage,
} from './lds/parse'
import type { MrzData } from './mrz'
import {
  malformedPassive,
  passiveAuthentication,
  type PassiveResult,
  type TrustAnchors,
} from './pki/passive'
import type { ChipAuthenticationResult } from './read-chip'

export interface EmrtdDocument {
  readonly mrz: MrzData
  readonly com: ComFile | undefined
  readonly faces: readonly FaceImage[]
  readonly dg11: Dg11 | undefined
  readonly dg12: Dg12 | undefined
  readonly passive: PassiveResult
  /** Problems with optional files: parsed as far as possible, listed for the clerk and the log. */
  readonly warnings: readonly string[]
}

function optional<T>(
  warnings: string[],
  name: string,
  bytes: Uint8Array | undefined,
  parse: (b: Uint8Array) => T,
): T | undefined {
  if (!bytes) return undefined
  try {
    return parse(bytes)
  } catch (error) {
    warnings.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/** DG1 is required (throws EMRTD_LDS_MALFORMED); other files degrade to warnings. */
export function buildDocument(
  files: ReadonlyMap<LdsFileName, Uint8Array>,
  anchors: TrustAnchors,
  now: Date = new Date(),
): EmrtdDocument {
  const dg1 = files.get('DG1')
  if (!dg1) throw new CounterError('EMRTD_FILE_NOT_FOUND', { params: { file: 'DG1' } })
  const mrz = parseDg1(dg1)
  const warnings: string[] = []
  const dgs = new Map<number, Uint8Array>()
  for (const [name, bytes] of files) {
    const m = /^DG(\d+)$/.exec(name)
    if (m) dgs.set(Number(m[1]), bytes)
  }
  const sod = files.get('SOD')
  const passive = sod ? passiveAuthentication(sod, dgs, anchors, now) : malformedPassive('no-sod')
  return {
    mrz,
    com: optional(warnings, 'COM', files.get('COM'), parseCom),
    faces: optional(warnings, 'DG2', files.get('DG2'), parseDg2) ?? [],
    dg11: optional(warnings, 'DG11', files.get('DG11'), parseDg11),
    dg12: optional(warnings, 'DG12', files.get('DG12'), parseDg12),
    passive,
    warnings,
  }
}

export interface ChipVerification {
  readonly passive: PassiveResult
  readonly active: ActiveAuthenticationResult
  readonly chip: ChipAuthenticationResult
}
