/**
 * The OFD domain's public contract: what callers pass in and get back. The document model itself
 * is in `model.ts`; the render model and seal results, which cross the IPC bridge, are in
 * `src/shared/domain/ofd.ts`.
 */

/** Bounds on what a document may make us do. Defaults fit any real licence with a wide margin. */
export interface OfdLimits {
  /** Entries in the zip's central directory. */
  readonly maxEntries: number
  /** Uncompressed bytes of one entry. */
  readonly maxEntryBytes: number
  /** Uncompressed bytes of everything read from one package. */
  readonly maxTotalBytes: number
  /** Uncompressed/compressed for entries over 1 MiB: deflate tops out near 1032. */
  readonly maxRatio: number
  /** Bytes of one XML part. */
  readonly maxXmlBytes: number
  /** XML element nesting. */
  readonly maxXmlDepth: number
  /** Elements in one XML part: bounds the memory a small but dense part can claim. */
  readonly maxXmlElements: number
  readonly maxPages: number
  /** Drawable objects on one page, templates and nested blocks included. */
  readonly maxObjectsPerPage: number
  /** Pixels of one decoded image (of a JBIG2 image, all its regions together). */
  readonly maxImagePixels: number
  /** Seals whose picture is itself an OFD, inside OFDs: how deep. */
  readonly maxNesting: number
}

export const DEFAULT_LIMITS: OfdLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 1100,
  maxXmlBytes: 16 * 1024 * 1024,
  maxXmlDepth: 256,
  maxXmlElements: 400_000,
  maxPages: 2_000,
  maxObjectsPerPage: 200_000,
  maxImagePixels: 40_000_000,
  maxNesting: 2,
}

export interface OpenOptions {
  /** Named in error details and logs (a file name, an identifier). */
  readonly name?: string
  readonly limits?: Partial<OfdLimits>
}

/** `[x, y, width, height]` in millimetres. */
export type Box = readonly [number, number, number, number]

/**
 * Signs for a seal (签章人): the software key of training mode and tests signs the digest
 * e = SM3(Z_A ‖ M) (default user ID `1234567812345678`); a CA token through the CA-key layer
 * takes the message and computes e itself. Either way the result is the raw signature r‖s.
 */
export type SealSigner = DigestSealSigner | MessageSealSigner

interface SealSignerBase {
  /** The signer's X.509 certificate (DER). Its SM2 public key must be the signing key's. */
  readonly certificate: Uint8Array
}

export interface DigestSealSigner extends SealSignerBase {
  /** Signs the 32-byte digest e = SM3(Z_A ‖ M); resolves to r‖s (64 bytes). */
  signDigest(digest: Uint8Array): Promise<Uint8Array>
}

export interface MessageSealSigner extends SealSignerBase {
  /** Signs the message M with SM2/SM3; resolves to r‖s (64 bytes). */
  signMessage(message: Uint8Array): Promise<Uint8Array>
}

/** Where a seal is stamped. */
export interface StampPlacement {
  /** Page index, from 0. */
  readonly page: number
  /** The stamp's box on the page, millimetres. */
  readonly boundary: Box
}

export interface SignOptions {
  readonly signer: SealSigner
  /** The electronic seal (SESeal, GB/T 38540 v4 DER) the signer stamps with. */
  readonly seal: Uint8Array
  readonly stamp: StampPlacement
  /** The signing time written into the signature; defaults to now. */
  readonly time?: Date
  /** Written into Signature.xml's Provider. */
  readonly provider?: {
    readonly name: string
    readonly version?: string
    readonly company?: string
  }
}

/** When a certificate and a seal must have been in force. */
export type ValidityPoint = 'signing-time' | Date

export interface VerifyOptions {
  /** Root (and intermediate) certificates the signer's certificate must chain to. */
  readonly trust: TrustAnchors
  /** Default `signing-time`: a seal made while everything was in force stays valid. */
  readonly at?: ValidityPoint
  /** The clock for `checkedAt` and for `at: 'signing-time'` sanity checks; defaults to now. */
  readonly now?: Date
}

/** DER certificates; anything that is not a well-formed SM2 certificate is ignored. */
export interface TrustAnchors {
  readonly certificates: readonly Uint8Array[]
}
