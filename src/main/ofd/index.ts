/**
 * OFD documents (GB/T 33190): read a package into a typed model, render a page to a draw list
 * any painter can paint, rasterise it, verify its seals (GB/T 38540 v4, GM/T 0031 v1), and write
 * signed licence files from templates. See README.md beside this file.
 *
 * This file is the domain's only public face; the render model and seal results that cross the
 * IPC bridge are in `src/shared/domain/ofd.ts`.
 */
import type { OfdOutline } from '../../shared/domain'
import { OfdDocument } from './document'
import type { OpenOptions } from './types'

export {
  DEFAULT_LIMITS,
  type Box,
  type OfdLimits,
  type OpenOptions,
  type DigestSealSigner,
  type MessageSealSigner,
  type SealSigner,
  type SignOptions,
  type StampPlacement,
  type TrustAnchors,
  type ValidityPoint,
  type VerifyOptions,
} from './types'
export type * from './model'
export { OfdDocument } from './document'
export type { XmlElement } from './package/xml'
export { renderPage, type RenderOptions } from './render/render'
export {
  IDENTITY,
  apply,
  isFiniteMatrix,
  multiply,
  rotate,
  scale,
  translate,
} from './render/matrix'
export { rasterisePage, type RasteriseOptions } from './paint/rasterise'
export { paintPage, type Canvas2D, type PaintEnv } from './paint/canvas-painter'
export {
  createFontLibrary,
  pathData as glyphPathData,
  type FontLibrary,
  type FontLibraryOptions,
  type LoadedFont,
} from './fonts/library'
export {
  BUNDLED_FACES,
  styleForFontName,
  type BundledFace,
  type BundledStyle,
} from './fonts/bundled'
export { subsetFont, type SubsetOptions } from './fonts/subset'
export type {
  RenderPage,
  DrawOp,
  SealResult,
  SealVerification,
  OfdOutline,
} from '../../shared/domain'

/**
 * Opens an OFD package from its bytes: the zip, OFD.xml, Document.xml and the resources are
 * read now (with every limit applied); pages are read when first rendered.
 * Throws a `CounterError` (`OFD_*`) for anything that is not a readable OFD.
 */
export async function openOfd(bytes: Uint8Array, options: OpenOptions = {}): Promise<OfdDocument> {
  return OfdDocument.open(bytes, options)
}

/** Page sizes (and title), enough to lay out a multi-page viewer before painting anything. */
export function outlineOf(doc: OfdDocument): OfdOutline {
  return {
    pages: doc.pageRefs.map((_, index) => {
      const box = doc.pageBox(index).physicalBox
      return { index, width: box[2], height: box[3] }
    }),
    ...(doc.info.title ? { title: doc.info.title } : {}),
    ...(doc.info.docId ? { docId: doc.info.docId } : {}),
  }
}
export {
  loadLicenceTemplate,
  parseLicenceTemplate,
  LicenceTemplateSchema,
  type LicenceTemplate,
  type TemplateField,
} from './writer/template'
export {
  buildLicenceOfd,
  type BuildOptions,
  type BuiltLicence,
  type LicenceContent,
} from './writer/licence'
export { signOfd, type SignInternals } from './writer/sign'
export { verifyOfd, type SealReason } from './seal/verify'
export {
  parseSeal,
  parseSesSignature,
  type SealSpec,
  type SesSeal,
  type SesSignature,
  type SealPicture,
} from './seal/ses'
export { makeSealV1, makeSealV4, softwareSealSigner } from './seal/make'
export {
  issueSm2Certificate,
  parseCertificate,
  displayName,
  formatName,
  type Certificate,
  type CertificateSpec,
  type NameAttr,
} from './seal/x509'
export { sealStamps, type SealStamp } from './seal/stamps'
export { buildSealPictureOfd, type SealPictureSpec } from './writer/seal-picture'
