/**
 * EF.SOD: tag 77 around CMS SignedData whose content is the LDSSecurityObject — the hash
 * algorithm and one hash per data group.
 */
import { CounterError } from '../../../../shared/errors'
import type { HashName } from '../../../crypto'
import { Asn1, TAG } from '../asn1'
import { HASH_OIDS, OID } from '../oids'
import { parseSignedData, type SignedData } from './cms'
import { parseAlgorithm } from './x509'

export interface SecurityObject {
  readonly signedData: SignedData
  readonly version: number
  readonly hashAlgorithm: HashName
  /** Data group number → hash. */
  readonly hashes: ReadonlyMap<number, Uint8Array>
  readonly ldsVersion: string | undefined
}

function malformed(reason: string): CounterError {
  return new CounterError('EMRTD_LDS_MALFORMED', { params: { file: 'SOD', reason } })
}

function asMalformed(error: unknown): CounterError {
  if (error instanceof CounterError && error.code === 'EMRTD_LDS_MALFORMED') return error
  if (error instanceof CounterError && error.code === 'EMRTD_UNSUPPORTED') return error
  return malformed(
    error instanceof CounterError ? String(error.params?.reason ?? error.code) : 'unreadable',
  )
}

export function parseSod(file: Uint8Array): SecurityObject {
  let signedData: SignedData
  try {
    // Chips may pad the file after the object, so read one object from the start.
    const outer = Asn1.parsePrefix(file)
    if (outer.tag !== 0x77) throw malformed('not tag 77')
    signedData = parseSignedData(outer.value)
  } catch (error) {
    throw asMalformed(error)
  }
  if (signedData.contentType !== OID.ldsSecurityObject)
    throw malformed('content is not an LDSSecurityObject')
  try {
    const lso = Asn1.parse(signedData.content).expect(TAG.SEQUENCE, 'LDSSecurityObject')
    const hashOid = parseAlgorithm(lso.at(1, 'hashAlgorithm')).oid
    const hashAlgorithm = HASH_OIDS[hashOid]
    if (!hashAlgorithm) throw malformed(`hash ${hashOid}`)
    const hashes = new Map<number, Uint8Array>()
    for (const dg of lso
      .at(2, 'dataGroupHashValues')
      .expect(TAG.SEQUENCE, 'dataGroupHashValues')
      .children()) {
      const n = dg.at(0, 'dataGroupNumber').int()
      if (n < 1 || n > 16 || hashes.has(n)) throw malformed(`data group number ${n}`)
      hashes.set(n, dg.at(1, 'dataGroupHashValue').octets())
    }
    const info = lso.children()[3]
    let ldsVersion: string | undefined
    if (info && info.tag === TAG.SEQUENCE) ldsVersion = info.at(0, 'ldsVersion').string()
    return { signedData, version: lso.at(0, 'version').int(), hashAlgorithm, hashes, ldsVersion }
  } catch (error) {
    throw asMalformed(error)
  }
}
