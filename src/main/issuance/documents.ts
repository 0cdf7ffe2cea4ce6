/**
 * The one thing issuance needs from the OFD work: produce the signed OFD for this issuance. It is
 * injected, in two steps so the clerk previews the exact bytes that will be signed — compose lays
 * the licence out on its template; sign seals exactly those bytes. The core uses the OFD module
 * (ofd-documents.ts); tests may inject their own.
 */
import type { LicenceTemplate, SignerChoice, SignerOption } from '../../shared/domain'

/** Everything a licence's face shows, resolved: the writer needs nothing else. */
export interface ComposeInput {
  readonly template: LicenceTemplate
  readonly identifier: string
  readonly number: string
  readonly issuer: { readonly name: string; readonly code: string }
  readonly holder: {
    readonly name: string
    readonly code: string
    readonly identityType: string
    readonly identityTypeName: string
  }
  readonly values: Readonly<Record<string, string>>
  /** `YYYY-MM-DD`. */
  readonly issuedOn: string
  readonly validFrom: string
  /** `YYYY-MM-DD` or `长期`. */
  readonly validTo: string
}

export interface PreviewImage {
  readonly widthMm: number
  readonly heightMm: number
  /** A data URL (PNG or SVG). */
  readonly image: string
}

export interface SignedDocument {
  readonly bytes: Uint8Array
  /** ISO time of the signature. */
  readonly signedAt: string
  readonly sealName: string
  readonly signerName: string
}

export interface IssuanceDocuments {
  /** Which seal keys can sign now (training key, the unit's seal on a CA token). */
  signers(): Promise<SignerOption[]>
  /** The unsigned OFD, exactly as it will be signed. */
  compose(input: ComposeInput): Promise<Uint8Array>
  /** Images of an OFD's pages, for the preview. */
  render(ofd: Uint8Array): Promise<PreviewImage[]>
  /** Seals exactly these bytes with the chosen key. */
  sign(
    ofd: Uint8Array,
    signer: SignerChoice,
    meta: { readonly identifier: string },
  ): Promise<SignedDocument>
}
