/**
 * OFD (GB/T 33190) documents as the rest of the app sees them: the render model (a draw list any
 * painter can paint — SVG or canvas in the renderer, a canvas rasteriser in main, pdfkit for
 * archive copies) and the result of checking a document's seals.
 *
 * Everything here is plain data: numbers, strings and arrays, so it crosses the IPC bridge and
 * prints as JSON unchanged. Coordinates are millimetres on the page, origin top-left, y down.
 */
import { z } from 'zod'

/** An affine transform [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export const MatrixSchema = z.tuple([
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
])
export type Matrix = z.infer<typeof MatrixSchema>

/** [red, green, blue] 0–255 and alpha 0–1. */
export const RgbaSchema = z.tuple([z.number(), z.number(), z.number(), z.number()])
export type Rgba = z.infer<typeof RgbaSchema>

export const StrokeStyleSchema = z.object({
  color: RgbaSchema,
  /** In the op's own units: the op's transform scales it, as it scales the path. */
  width: z.number(),
  cap: z.enum(['butt', 'round', 'square']),
  join: z.enum(['miter', 'round', 'bevel']),
  miterLimit: z.number(),
  dash: z.array(z.number()).optional(),
  dashOffset: z.number().optional(),
})
export type StrokeStyle = z.infer<typeof StrokeStyleSchema>

/**
 * A clip region: SVG path data already in page millimetres (arcs are turned into curves, so any
 * painter can take it as is). Several paths in one clip are a union.
 */
export const ClipSchema = z.object({
  d: z.string(),
  rule: z.enum(['nonzero', 'evenodd']),
})
export type Clip = z.infer<typeof ClipSchema>

/** A path in its own units (SVG path syntax: M L Q C Z only), placed on the page by `transform`. */
export const PathOpSchema = z.object({
  kind: z.literal('path'),
  d: z.string(),
  transform: MatrixSchema,
  fill: RgbaSchema.optional(),
  rule: z.enum(['nonzero', 'evenodd']),
  stroke: StrokeStyleSchema.optional(),
})
export type PathOp = z.infer<typeof PathOpSchema>

/**
 * A run of glyphs. Each glyph is drawn as the outline `glyphs[g]` of the page (em = 1000 units,
 * y down, origin on the baseline), scaled by `size`/1000, transformed by `glyphTransform` (horizontal
 * scale, synthetic italic, character rotation), moved to (x, y), then placed by `transform`. So no
 * painter needs the font itself; `text` and each glyph's `c` keep the characters for search,
 * accessibility and painters that prefer real text.
 */
export const TextOpSchema = z.object({
  kind: z.literal('text'),
  transform: MatrixSchema,
  /** Em size in the op's units (mm before the transform). */
  size: z.number(),
  glyphTransform: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  fill: RgbaSchema.optional(),
  stroke: StrokeStyleSchema.optional(),
  /** The font key in `RenderPage.fonts`. */
  font: z.string(),
  text: z.string(),
  glyphs: z.array(
    z.object({
      /** Key into `RenderPage.glyphs`; absent for a glyph with no outline (a space). */
      g: z.string().optional(),
      x: z.number(),
      y: z.number(),
      c: z.string(),
    }),
  ),
})
export type TextOp = z.infer<typeof TextOpSchema>

/** An image filling the unit square (0,0)–(1,1) of `transform`, as OFD places images. */
export const ImageOpSchema = z.object({
  kind: z.literal('image'),
  /** Key into `RenderPage.images`. */
  image: z.string(),
  transform: MatrixSchema,
  alpha: z.number().optional(),
})
export type ImageOp = z.infer<typeof ImageOpSchema>

export type GroupRole = 'template' | 'content' | 'annotation' | 'seal'

export interface GroupOp {
  readonly kind: 'group'
  /** What the group is, so a viewer can (for instance) outline a seal with its check result. */
  readonly role?: GroupRole
  /** For seals: the signature's ID in Signatures.xml; for annotations: the annotation ID. */
  readonly ref?: string
  /** Every clip applies (intersection); each clip is a union of its paths. */
  readonly clips?: readonly (readonly Clip[])[]
  readonly alpha?: number
  readonly ops: readonly DrawOp[]
}

export type DrawOp = PathOp | TextOp | ImageOp | GroupOp

export const GroupOpSchema: z.ZodType<GroupOp> = z.lazy(() =>
  z.object({
    kind: z.literal('group'),
    role: z.enum(['template', 'content', 'annotation', 'seal']).optional(),
    ref: z.string().optional(),
    clips: z.array(z.array(ClipSchema)).optional(),
    alpha: z.number().optional(),
    ops: z.array(DrawOpSchema),
  }),
)

export const DrawOpSchema: z.ZodType<DrawOp> = z.lazy(() =>
  z.union([PathOpSchema, TextOpSchema, ImageOpSchema, GroupOpSchema]),
)

export const RenderImageSchema = z.object({
  /** Painters get only formats every one of them decodes; BMP, JBIG2 and the rest arrive as PNG. */
  mime: z.enum(['image/png', 'image/jpeg']),
  /** Base64 of the encoded image. */
  data: z.string(),
  /** Pixels. */
  width: z.number(),
  height: z.number(),
})
export type RenderImage = z.infer<typeof RenderImageSchema>

export const RenderFontSchema = z.object({
  /** The family the document asked for. */
  family: z.string(),
  /** What drew it: the embedded file, or the bundled font standing in for a named one. */
  source: z.enum(['embedded', 'bundled', 'fallback']),
  /** The face actually used, e.g. "CounterDesk Song". */
  face: z.string(),
})
export type RenderFont = z.infer<typeof RenderFontSchema>

/** One page, ready to paint. */
export const RenderPageSchema = z.object({
  index: z.number().int(),
  /** Page size in millimetres (the physical box). */
  width: z.number(),
  height: z.number(),
  ops: z.array(DrawOpSchema),
  /** Glyph outlines: SVG path data, em = 1000, y down, origin on the baseline. */
  glyphs: z.record(z.string(), z.string()),
  images: z.record(z.string(), RenderImageSchema),
  fonts: z.record(z.string(), RenderFontSchema),
  /** Things the renderer skipped or approximated, for the log and for tests. */
  warnings: z.array(z.string()),
})
export type RenderPage = z.infer<typeof RenderPageSchema>

/** A document's outline, enough to lay out a multi-page viewer before any page is painted. */
export const OfdOutlineSchema = z.object({
  pages: z.array(z.object({ index: z.number().int(), width: z.number(), height: z.number() })),
  title: z.string().optional(),
  docId: z.string().optional(),
})
export type OfdOutline = z.infer<typeof OfdOutlineSchema>

/**
 * One result per signature (GB/T 38540 v4 or GM/T 0031 v1):
 * - `valid`: references, dataHash, SM2 signature, seal and certificate all check out;
 * - `document-altered`: a protected file no longer matches what was signed;
 * - `signature-invalid`: the signature, the seal or its structure is wrong;
 * - `certificate-untrusted`: the signature is intact but its certificate does not chain to a
 *   trusted root, or was not in force when the document was signed (expired, not yet valid).
 */
export const SealStatusSchema = z.enum([
  'valid',
  'document-altered',
  'signature-invalid',
  'certificate-untrusted',
])
export type SealStatus = z.infer<typeof SealStatusSchema>

export const CertificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
})
export type CertificateSummary = z.infer<typeof CertificateSummarySchema>

export const SealResultSchema = z.object({
  /** The Signature's ID in Signatures.xml. */
  id: z.string(),
  status: SealStatusSchema,
  /** A stable code for why (e.g. `reference-mismatch`, `certificate-expired`), `ok` when valid. */
  reason: z.string(),
  /** For the clerk, in Chinese. */
  message: z.string(),
  /** The file, reference or field the reason is about, when there is one. */
  detail: z.string().optional(),
  /** `Seal` (电子签章) or `Sign` (电子签名). */
  type: z.enum(['Seal', 'Sign']),
  /** 4 for GB/T 38540, 1 for GM/T 0031; absent when the signed value could not be read. */
  version: z.number().int().optional(),
  /** The signer certificate's subject common name (or organisation). */
  signer: z.string().optional(),
  /** ISO 8601 UTC, from the signature itself: what the signer says (TBS_Sign timeInfo). */
  signedAt: z.string().optional(),
  /**
   * The moment certificate and seal validity were checked at (ISO 8601 UTC), and where it came
   * from: `timestamp` (a verified timestamp's time), `signer-asserted` (the signer's own signing
   * time, which a signer with a stolen or expired key could backdate), `given` (the caller's
   * `at`), or `check-time` (the signature states no time, so the time of the check).
   */
  validityAt: z.string().optional(),
  timeSource: z.enum(['timestamp', 'signer-asserted', 'given', 'check-time']).optional(),
  /**
   * The signature's timestamp (GB/T 38540 timeStamp), when it has one: `verified`, or — proving
   * nothing — `untrusted` (the TSA does not chain to a trusted root) or `unsupported` (an
   * algorithm we do not verify). A timestamp that is malformed or wrong makes the result
   * `signature-invalid` (`timestamp-invalid`).
   */
  timestamp: z
    .object({
      status: z.enum(['verified', 'untrusted', 'unsupported', 'invalid']),
      at: z.string().optional(),
      tsa: z.string().optional(),
    })
    .optional(),
  sealName: z.string().optional(),
  sealId: z.string().optional(),
  certificate: CertificateSummarySchema.optional(),
  /** Where the stamp sits: page index and boundary in millimetres. */
  stamps: z.array(
    z.object({
      page: z.number().int(),
      boundary: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    }),
  ),
})
export type SealResult = z.infer<typeof SealResultSchema>

export const SealVerificationSchema = z.object({
  signatures: z.array(SealResultSchema),
  /** True only when there is at least one signature and every one is valid. */
  allValid: z.boolean(),
  checkedAt: z.string(),
})
export type SealVerification = z.infer<typeof SealVerificationSchema>
