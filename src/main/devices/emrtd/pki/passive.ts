/**
 * Passive Authentication (Doc 9303 Part 11 §5.1): the data groups' hashes against the security
 * object, the security object's signature with the document signer certificate, and that
 * certificate's chain to a CSCA in the trust store. The outcome is one clear verdict:
 *  - genuine: everything checks out up to a trusted CSCA;
 *  - unaltered, unknown CSCA: data and signature are consistent, but the issuing state's CSCA has
 *    not been imported, so authenticity cannot be confirmed;
 *  - altered / invalid: a hash, the signature or the chain is wrong.
 */
import { CounterError } from '../../../../shared/errors'
import { digest } from '../../../crypto'
import { equalBytes } from '../bytes'
import { signerCertificate, verifySigner } from './cms'
import { parseSod } from './sod'
import { describeAlgorithm, verifySignature } from './signature'
import { sameName, type Certificate } from './x509'

export type PassiveVerdict =
  | 'genuine'
  | 'unknown-csca'
  | 'altered'
  | 'signature-invalid'
  | 'chain-invalid'
  | 'ds-expired'
  | 'malformed'

export interface CertificateSummary {
  readonly subject: string
  readonly issuer: string
  readonly serialNumber: string
  readonly country: string | undefined
  readonly notBefore: string
  readonly notAfter: string
}

export interface PassiveResult {
  /** True only for `genuine`. */
  readonly valid: boolean
  readonly verdict: PassiveVerdict
  /** Each data group read: does its hash match the security object. */
  readonly dataGroups: Readonly<Record<string, boolean>>
  readonly signatureValid: boolean
  readonly chain: 'trusted' | 'unknown-csca' | 'invalid' | 'not-checked'
  readonly algorithm: string | undefined
  readonly signer: CertificateSummary | undefined
  readonly csca: CertificateSummary | undefined
  /** Stable reason code for the log and the CLI; absent when valid. */
  readonly reason: string | undefined
}

/** Where CSCA certificates come from: the trust store, or a file given to the CLI. */
export interface TrustAnchors {
  /** Candidate issuers of `cert` (matching name or key identifier). */
  issuersOf(cert: Certificate): readonly Certificate[]
}

export function summarize(c: Certificate): CertificateSummary {
  return {
    subject: c.subject.text,
    issuer: c.issuer.text,
    serialNumber: c.serialNumber,
    country: c.subject.country ?? c.issuer.country,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  }
}

export function anchorsFrom(certificates: readonly Certificate[]): TrustAnchors {
  return {
    issuersOf: (cert) =>
      certificates.filter(
        (c) =>
          (cert.authorityKeyId &&
            c.subjectKeyId &&
            equalBytes(cert.authorityKeyId, c.subjectKeyId)) ||
          sameName(c.subject, cert.issuer),
      ),
  }
}

function result(partial: Omit<PassiveResult, 'valid'>): PassiveResult {
  return { valid: partial.verdict === 'genuine', ...partial }
}

/** No usable security object (missing or unreadable): nothing could be checked. */
export function malformedPassive(reason: string): PassiveResult {
  return result({
    verdict: 'malformed',
    dataGroups: {},
    signatureValid: false,
    chain: 'not-checked',
    algorithm: undefined,
    signer: undefined,
    csca: undefined,
    reason,
  })
}

/**
 * `files` maps data group numbers to the bytes read from the chip. Data groups in the security
 * object but not read (DG3/DG4 need Terminal Authentication) are not counted against the chip.
 */
export function passiveAuthentication(
  sodFile: Uint8Array,
  files: ReadonlyMap<number, Uint8Array>,
  anchors: TrustAnchors,
  now: Date = new Date(),
): PassiveResult {
  let sod
  try {
    sod = parseSod(sodFile)
  } catch (error) {
    return malformedPassive(error instanceof CounterError ? `sod-${error.code}` : 'sod-unreadable')
  }

  const dataGroups: Record<string, boolean> = {}
  for (const [n, bytes] of [...files].sort((a, b) => a[0] - b[0])) {
    const expected = sod.hashes.get(n)
    dataGroups[String(n)] = !!expected && equalBytes(expected, digest(sod.hashAlgorithm, bytes))
  }
  const altered = Object.entries(dataGroups)
    .filter(([, ok]) => !ok)
    .map(([n]) => n)

  const signerInfo = sod.signedData.signerInfos[0]
  const ds = signerInfo ? signerCertificate(sod.signedData, signerInfo) : undefined
  let signatureValid = false
  let algorithm: string | undefined
  let signatureReason: string | undefined
  if (!signerInfo) signatureReason = 'no-signer'
  else if (!ds) {
    signatureReason = 'no-document-signer-certificate'
    algorithm = describeAlgorithm(signerInfo.signatureAlgorithm, signerInfo.digestAlgorithm)
  } else {
    try {
      const check = verifySigner(sod.signedData, signerInfo, ds)
      signatureValid = check.ok
      algorithm = check.algorithm
      if (!check.ok) signatureReason = `sod-${check.reason}`
    } catch (error) {
      signatureReason =
        error instanceof CounterError ? `sod-${error.code}` : 'sod-signature-unreadable'
    }
  }

  let chain: PassiveResult['chain'] = 'not-checked'
  let csca: Certificate | undefined
  if (ds) {
    const candidates = anchors.issuersOf(ds)
    csca = candidates.find((c) => {
      try {
        return verifySignature(ds.signatureAlgorithm, c.publicKey, ds.tbs, ds.signature)
      } catch {
        return false
      }
    })
    chain = csca ? 'trusted' : candidates.length > 0 ? 'invalid' : 'unknown-csca'
  }
  const dsExpired = !!ds && (now < ds.notBefore || now > ds.notAfter)
  const cscaValidAtSigning =
    !csca || (ds!.notBefore >= csca.notBefore && ds!.notBefore <= csca.notAfter)

  let verdict: PassiveVerdict
  let reason: string | undefined
  if (altered.length > 0) {
    verdict = 'altered'
    reason = `hash-mismatch-dg${altered.join('-dg')}`
  } else if (!signatureValid) {
    verdict = 'signature-invalid'
    reason = signatureReason ?? 'sod-signature'
  } else if (chain === 'unknown-csca') {
    verdict = 'unknown-csca'
    reason = 'csca-not-in-trust-store'
  } else if (chain !== 'trusted' || !cscaValidAtSigning) {
    verdict = 'chain-invalid'
    reason =
      chain !== 'trusted' ? 'document-signer-not-signed-by-csca' : 'csca-not-valid-when-signing'
  } else if (dsExpired) {
    verdict = 'ds-expired'
    reason = 'document-signer-certificate-expired'
  } else verdict = 'genuine'

  return result({
    verdict,
    dataGroups,
    signatureValid,
    chain,
    algorithm,
    signer: ds ? summarize(ds) : undefined,
    csca: csca ? summarize(csca) : undefined,
    reason,
  })
}
