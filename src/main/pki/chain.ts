/**
 * Is this certificate good right now? Validity, a signature chain up to one of the configured CA
 * roots, and revocation against the CRLs imported offline. Each failure is its own typed error,
 * so the clerk reads "expired", "revoked" or "unknown issuer", not "invalid".
 */
import { CounterError } from '../../shared/errors'
import { shanghaiDate } from '../../shared/time'
import type { Crl } from './crl'
import { signatureAlgorithmOf, verifySignature } from './keys'
import { formatName, sameName, type DistinguishedName } from './name'
import type { Certificate } from './x509'

export interface RevocationSource {
  /** The newest CRL (already signature-checked) issued by this CA certificate, if any. */
  crlFor(issuer: Certificate): Crl | undefined
}

export interface RevocationPolicy {
  /** Refuse a certificate whose issuer has no CRL at all. */
  readonly requireCrl: boolean
  /** How long past its nextUpdate a CRL may still be used (offline), in days. */
  readonly staleGraceDays: number
}

export interface TrustOptions {
  readonly roots: readonly Certificate[]
  readonly intermediates?: readonly Certificate[]
  readonly revocation?: RevocationSource
  readonly policy?: RevocationPolicy
  readonly now?: Date
  /** Allowed clock difference, seconds. */
  readonly skewSeconds?: number
}

export type RevocationStatus = 'good' | 'unchecked' | 'stale'

export interface ValidationResult {
  /** Leaf first, trust anchor last. */
  readonly chain: readonly Certificate[]
  /** `good`: every CRL current; `stale`: a CRL past nextUpdate was used (offline); `unchecked`: no CRL. */
  readonly revocation: RevocationStatus
}

const MAX_DEPTH = 8
const DAY_MS = 86_400_000

export function checkValidityPeriod(cert: Certificate, now: Date, skewSeconds = 300): void {
  const t = now.getTime()
  if (t + skewSeconds * 1000 < cert.notBefore.getTime())
    throw new CounterError('CERT_NOT_YET_VALID', { params: { date: shanghaiDate(cert.notBefore) } })
  if (t - skewSeconds * 1000 > cert.notAfter.getTime())
    throw new CounterError('CERT_EXPIRED', { params: { date: shanghaiDate(cert.notAfter) } })
}

/** Whether `issuer` signed `cert`. Unknown algorithms are an error, not a quiet "no". */
export function signedBy(cert: Certificate, issuer: Certificate): boolean {
  const alg = signatureAlgorithmOf(cert.signatureAlgorithmOid)
  if (!alg)
    throw new CounterError('CERT_UNSUPPORTED_ALGORITHM', {
      params: { algorithm: cert.signatureAlgorithmOid },
    })
  return verifySignature(alg, issuer.publicKey, cert.tbs, cert.signature)
}

/** A CA whose key usage (when it states one) allows signing CRLs. */
export function mayIssueCrls(ca: Certificate): boolean {
  return !ca.keyUsage || ca.keyUsage.includes('cRLSign')
}

/**
 * A signing certificate, as sign-in and identification need: one whose key usage (when stated)
 * includes digitalSignature or nonRepudiation — not a key's encryption certificate.
 */
function mayUseForSigning(cert: Certificate): boolean {
  return (
    !cert.keyUsage ||
    cert.keyUsage.includes('digitalSignature') ||
    cert.keyUsage.includes('nonRepudiation')
  )
}

function isCa(cert: Certificate): boolean {
  if (cert.basicConstraints) {
    if (!cert.basicConstraints.ca) return false
  } else if (cert.version >= 3) {
    return false
  }
  return !cert.keyUsage || cert.keyUsage.includes('keyCertSign')
}

/**
 * Whether `candidate` may be the CA that signed a certificate or CRL: its subject is the issuer
 * named, and the key identifiers agree when both are given. Only the signature decides.
 */
export function couldHaveIssued(
  candidate: Certificate,
  signed: { readonly issuer: DistinguishedName; readonly authorityKeyId?: string },
): boolean {
  if (!sameName(candidate.subject, signed.issuer)) return false
  return (
    !signed.authorityKeyId ||
    !candidate.subjectKeyId ||
    signed.authorityKeyId === candidate.subjectKeyId
  )
}

/** The chain from `leaf` to a root, each link's signature and validity checked. */
export function buildChain(leaf: Certificate, options: TrustOptions): Certificate[] {
  const now = options.now ?? new Date()
  const skew = options.skewSeconds ?? 300
  const rootHashes = new Set(options.roots.map((r) => r.sha256))
  const pool = [...options.roots, ...(options.intermediates ?? [])]
  checkValidityPeriod(leaf, now, skew)
  if (!rootHashes.has(leaf.sha256) && !mayUseForSigning(leaf))
    throw new CounterError('CERT_KEY_USAGE', { params: { usage: leaf.keyUsage!.join(', ') } })
  const chain = [leaf]
  let current = leaf
  while (!rootHashes.has(current.sha256)) {
    if (chain.length > MAX_DEPTH)
      throw new CounterError('CERT_UNKNOWN_ISSUER', {
        params: { issuer: formatName(current.issuer) },
      })
    const candidates = pool.filter((c) => c !== current && couldHaveIssued(c, current))
    if (candidates.length === 0)
      throw new CounterError('CERT_UNKNOWN_ISSUER', {
        params: { issuer: formatName(current.issuer) },
      })
    const issuer = candidates.find((c) => signedBy(current, c))
    if (!issuer)
      throw new CounterError('CERT_BAD_SIGNATURE', { detail: `serial ${current.serialNumber}` })
    if (!isCa(issuer))
      throw new CounterError('CERT_NOT_CA', { params: { issuer: formatName(issuer.subject) } })
    // RFC 5280 §4.2.1.9: the intermediate CAs below this one (self-issued ones not counted).
    const limit = issuer.basicConstraints?.pathLength
    const below = chain.slice(1).filter((c) => !sameName(c.subject, c.issuer)).length
    if (limit !== undefined && below > limit)
      throw new CounterError('CERT_PATH_TOO_LONG', {
        params: { issuer: formatName(issuer.subject), limit },
      })
    checkValidityPeriod(issuer, now, skew)
    if (chain.includes(issuer))
      throw new CounterError('CERT_UNKNOWN_ISSUER', {
        params: { issuer: formatName(current.issuer) },
      })
    chain.push(issuer)
    current = issuer
  }
  return chain
}

/** Revocation of every certificate in the chain but the anchor. */
export function checkRevocation(
  chain: readonly Certificate[],
  source: RevocationSource | undefined,
  policy: RevocationPolicy,
  now: Date,
): RevocationStatus {
  let status: RevocationStatus = 'good'
  for (let i = 0; i < chain.length - 1; i++) {
    const cert = chain[i]!
    const issuer = chain[i + 1]!
    const crl = source?.crlFor(issuer)
    if (!crl) {
      if (policy.requireCrl)
        throw new CounterError('CERT_CRL_MISSING', {
          params: { issuer: formatName(issuer.subject) },
        })
      status = 'unchecked'
      continue
    }
    const revokedAt = crl.revoked.get(cert.serialNumber)
    if (revokedAt)
      throw new CounterError('CERT_REVOKED', { params: { date: shanghaiDate(revokedAt) } })
    if (crl.nextUpdate && now.getTime() > crl.nextUpdate.getTime()) {
      if (now.getTime() - crl.nextUpdate.getTime() > policy.staleGraceDays * DAY_MS)
        throw new CounterError('CERT_CRL_STALE', { params: { date: shanghaiDate(crl.nextUpdate) } })
      if (status === 'good') status = 'stale'
    }
  }
  return status
}

export const DEFAULT_REVOCATION_POLICY: RevocationPolicy = { requireCrl: false, staleGraceDays: 30 }

export function validateCertificate(leaf: Certificate, options: TrustOptions): ValidationResult {
  const now = options.now ?? new Date()
  const chain = buildChain(leaf, options)
  const revocation = checkRevocation(
    chain,
    options.revocation,
    options.policy ?? DEFAULT_REVOCATION_POLICY,
    now,
  )
  return { chain, revocation }
}
