/**
 * Paints draw lists (the OFD render model) into a PDF with pdfkit, faithfully:
 *
 * - paths as PDF path operators in the op's own space (so stroke widths and dashes scale with
 *   the transform exactly as the model says), quadratic segments raised to cubics;
 * - text as real text in embedded subset fonts (CID, Identity-H, with a ToUnicode map, so the
 *   copy is searchable and `pdftotext` reads it) wherever the archive has the very face the OFD
 *   renderer drew with — the glyph outline in the draw list must equal the face's own outline;
 *   any other glyph (a font embedded in the OFD that the archive does not have) is drawn from
 *   its outline, with invisible text (render mode 3) over it so the text still reads;
 * - images (PNG/JPEG) in the unit square of their transform; clips (intersections of unions),
 *   group alpha multiplied down to each op, seal pictures like any other image.
 *
 * pdfkit's public API has no call for "this glyph, here"; the few internals used are named in
 * `PdfkitInternals` below and nowhere else.
 */
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import PDFDocument from 'pdfkit'
import type {
  DrawOp,
  GroupOp,
  ImageOp,
  Matrix,
  PathOp,
  RenderPage,
  Rgba,
  StrokeStyle,
  TextOp,
} from '../../shared/domain'
import type { ArchiveFace, ArchiveFonts } from './fonts'
import { ImageCache, type PdfImageData } from './images'
import { isFiniteMatrix, multiply, num, parsePath, pdfPathOps, scale, translate } from './geometry'

/** Decoded pictures shared by every document of the process (seals recur across a batch). */
const SHARED_IMAGES = new ImageCache()

/** Points per millimetre. */
const PT_PER_MM = 72 / 25.4

/** What the painter needs from pdfkit beyond its typed API. */
interface PdfkitFont {
  readonly id: string
  ref(): unknown
  /** Lays out text in the font; returns the subset glyph ids as 4-digit hex, and positions. */
  encode(text: string): [string[], unknown[]]
}
interface PdfkitInternals {
  _font: PdfkitFont
  page: { fonts: Record<string, unknown>; xobjects: Record<string, unknown> }
  registerFont(name: string, src: unknown): void
  font(name: string): unknown
  openImage(src: Buffer): unknown
  image(src: unknown, x: number, y: number, options: { width: number; height: number }): unknown
}

export interface PdfInfo {
  readonly title: string
  readonly author: string
  readonly subject?: string
  readonly keywords?: string
  /** Fixed for reproducible output (tests); defaults to now. */
  readonly creationDate?: Date
}

export interface PaintStats {
  /** Glyphs drawn as real text. */
  textGlyphs: number
  /** Glyphs drawn from outlines (with invisible text over them). */
  outlineGlyphs: number
  /** Glyphs drawn from outlines whose characters no font could put in the text layer. */
  unsearchable: number
}

const rgb = (c: Rgba) => `${num(c[0] / 255)} ${num(c[1] / 255)} ${num(c[2] / 255)}`
const cm = (m: Matrix) => `${m.map(num).join(' ')} cm`
const CAP = { butt: 0, round: 1, square: 2 } as const
const JOIN = { miter: 0, round: 1, bevel: 2 } as const

/** One PDF document being written: pages are added one by one, the bytes go to `sink`. */
export class ArchivePdf {
  readonly stats: PaintStats = { textGlyphs: 0, outlineGlyphs: 0, unsearchable: 0 }
  private readonly doc: PDFKit.PDFDocument
  private readonly internals: PdfkitInternals
  private readonly registered = new Set<string>()
  private readonly xobjects = new Map<string, { name: string; ref: unknown }>()
  private readonly fallbackImages = new Map<string, unknown>()
  private readonly finished: Promise<unknown>
  pages = 0

  constructor(
    private readonly fonts: ArchiveFonts,
    info: PdfInfo,
    sink: Writable,
    private readonly images: ImageCache = SHARED_IMAGES,
  ) {
    this.doc = new PDFDocument({
      // No default Helvetica: every font here is an embedded CJK subset.
      font: null as unknown as string,
      autoFirstPage: false,
      compress: true,
      pdfVersion: '1.7',
      info: {
        Title: info.title,
        Author: info.author,
        ...(info.subject ? { Subject: info.subject } : {}),
        ...(info.keywords ? { Keywords: info.keywords } : {}),
        Creator: 'CounterDesk',
        Producer: 'CounterDesk archive (pdfkit)',
        CreationDate: info.creationDate ?? new Date(),
      },
      lang: 'zh-CN',
      displayTitle: true,
    })
    this.internals = this.doc as unknown as PdfkitInternals
    this.finished = once(this.doc.pipe(sink), 'finish')
    // Cancelling destroys the sink under a document nobody will end: `end` reports a failure
    // when it is awaited, and an abandoned document must not raise an unhandled rejection.
    this.finished.catch(() => undefined)
  }

  /** Adds one page and paints the draw list on it. */
  addPage(page: RenderPage): void {
    const doc = this.doc
    doc.addPage({ size: [page.width * PT_PER_MM, page.height * PT_PER_MM], margin: 0 })
    this.pages++
    // pdfkit starts each page y-down in points; the draw list is y-down in millimetres.
    doc.addContent(cm(scale(PT_PER_MM)))
    for (const op of page.ops) this.paint(op, page, 1)
  }

  /** Finishes the file; resolves when every byte has reached the sink. */
  async end(): Promise<void> {
    this.doc.end()
    await this.finished
  }

  private paint(op: DrawOp, page: RenderPage, alpha: number): void {
    switch (op.kind) {
      case 'path':
        return this.paintPath(op, alpha)
      case 'text':
        return this.paintText(op, page, alpha)
      case 'image':
        return this.paintImage(op, page, alpha)
      case 'group':
        return this.paintGroup(op, page, alpha)
    }
  }

  private opacity(fill: number | null, stroke: number | null): void {
    if (fill !== null && fill < 1) this.doc.fillOpacity(fill)
    if (stroke !== null && stroke < 1) this.doc.strokeOpacity(stroke)
  }

  private strokeState(s: StrokeStyle): string {
    const parts = [
      `${rgb(s.color)} RG`,
      `${num(Math.max(0, s.width))} w`,
      `${CAP[s.cap]} J`,
      `${JOIN[s.join]} j`,
      `${num(Math.max(1, s.miterLimit))} M`,
    ]
    const dash = s.dash?.filter((v) => Number.isFinite(v) && v >= 0) ?? []
    if (dash.length > 0 && dash.some((v) => v > 0))
      parts.push(`[${dash.map(num).join(' ')}] ${num(s.dashOffset ?? 0)} d`)
    return parts.join(' ')
  }

  private paintPath(op: PathOp, alpha: number): void {
    if ((!op.fill && !op.stroke) || !isFiniteMatrix(op.transform)) return
    const segments = parsePath(op.d)
    if (segments.length === 0) return
    const doc = this.doc
    doc.addContent('q')
    doc.addContent(cm(op.transform))
    this.opacity(op.fill ? op.fill[3] * alpha : null, op.stroke ? op.stroke.color[3] * alpha : null)
    if (op.fill) doc.addContent(`${rgb(op.fill)} rg`)
    if (op.stroke) doc.addContent(this.strokeState(op.stroke))
    doc.addContent(pdfPathOps(segments))
    const odd = op.rule === 'evenodd' ? '*' : ''
    doc.addContent(op.fill && op.stroke ? `B${odd}` : op.fill ? `f${odd}` : 'S')
    doc.addContent('Q')
  }

  /** Each font's encoding of each character used so far (null: not one glyph). */
  private readonly encoded = new Map<string, string | null>()

  /** The pdfkit font for a face's character in this document (registered once, subset at the end). */
  private useFace(face: ArchiveFace, codePoint: number): PdfkitFont {
    const { key, font: fk } = face.embeddable(codePoint)
    if (!this.registered.has(key)) {
      this.internals.registerFont(key, fk)
      this.registered.add(key)
    }
    this.internals.font(key)
    const font = this.internals._font
    this.internals.page.fonts[font.id] ??= font.ref()
    return font
  }

  /** Encodes one character as one glyph of `face`; undefined when it takes more (or fewer). */
  private encodeChar(face: ArchiveFace, c: string): { font: PdfkitFont; hex: string } | undefined {
    const font = this.useFace(face, c.codePointAt(0)!)
    // pdfkit shapes every call with fontkit; within one document a character of a font always
    // becomes the same subset glyph, so it is shaped once.
    const key = `${font.id}\u0000${c}`
    let hex = this.encoded.get(key)
    if (hex === undefined) {
      const [encoded] = font.encode(c)
      hex = encoded.length === 1 ? encoded[0]! : null
      this.encoded.set(key, hex)
    }
    return hex === null ? undefined : { font, hex }
  }

  private paintText(op: TextOp, page: RenderPage, alpha: number): void {
    if ((!op.fill && !op.stroke) || !isFiniteMatrix(op.transform) || !(op.size > 0)) return
    const doc = this.doc
    const gt = op.glyphTransform ?? [1, 0, 0, 1]
    const glyphMatrix: Matrix = [gt[0], gt[1], gt[2], gt[3], 0, 0]
    // Text space: em 1 with y up, placed at the glyph's origin, scaled to the op's size.
    const textMatrix = (x: number, y: number): Matrix =>
      multiply(multiply(translate(x, y), glyphMatrix), scale(op.size, -op.size))
    const outlineMatrix = (x: number, y: number): Matrix =>
      multiply(multiply(translate(x, y), glyphMatrix), scale(op.size / 1000))

    const real: string[] = []
    const outlines: string[] = []
    const hidden: string[] = []
    let current: PdfkitFont | undefined
    let hiddenFont: PdfkitFont | undefined

    for (const g of op.glyphs) {
      if (!g.g) continue
      const outline = page.glyphs[g.g]
      if (!outline) continue
      const chars = [...g.c]
      const cp = chars.length === 1 ? chars[0]!.codePointAt(0)! : -1
      const fontKey = g.g.includes(':') ? g.g.slice(0, g.g.lastIndexOf(':')) : op.font
      const declared = page.fonts[fontKey] ?? page.fonts[op.font]
      const face = declared ? this.fonts.byFace(declared.face) : undefined
      const gid = face && cp >= 0 ? face.glyphId(cp) : 0
      if (face && gid && face.outline(gid) === outline) {
        const enc = this.encodeChar(face, g.c)
        if (enc) {
          if (enc.font !== current) {
            real.push(`/${enc.font.id} 1 Tf`)
            current = enc.font
          }
          real.push(`${textMatrix(g.x, g.y).map(num).join(' ')} Tm <${enc.hex}> Tj`)
          this.stats.textGlyphs++
          continue
        }
      }
      // Not a face the archive has: the outline is what the licence shows.
      outlines.push(pdfPathOps(parsePath(outline), outlineMatrix(g.x, g.y)))
      this.stats.outlineGlyphs++
      const stand = cp >= 0 ? this.fonts.forChar(cp) : undefined
      const enc = stand ? this.encodeChar(stand, g.c) : undefined
      if (!enc) {
        this.stats.unsearchable++
        continue
      }
      if (enc.font !== hiddenFont) {
        hidden.push(`/${enc.font.id} 1 Tf`)
        hiddenFont = enc.font
      }
      hidden.push(`${textMatrix(g.x, g.y).map(num).join(' ')} Tm <${enc.hex}> Tj`)
    }
    if (real.length === 0 && outlines.length === 0) return

    doc.addContent('q')
    doc.addContent(cm(op.transform))
    this.opacity(op.fill ? op.fill[3] * alpha : null, op.stroke ? op.stroke.color[3] * alpha : null)
    if (op.fill) doc.addContent(`${rgb(op.fill)} rg`)
    if (op.stroke) doc.addContent(this.strokeState(op.stroke))
    if (real.length > 0) {
      const mode = op.fill && op.stroke ? 2 : op.stroke ? 1 : 0
      doc.addContent(`BT ${mode ? `${mode} Tr ` : ''}${real.join('\n')} ET`)
    }
    if (outlines.length > 0) {
      doc.addContent(outlines.join('\n'))
      doc.addContent(op.fill && op.stroke ? 'B' : op.fill ? 'f' : 'S')
    }
    if (hidden.length > 0) doc.addContent(`BT 3 Tr ${hidden.join('\n')} ET`)
    doc.addContent('Q')
  }

  private paintImage(op: ImageOp, page: RenderPage, alpha: number): void {
    if (!isFiniteMatrix(op.transform)) return
    const img = page.images[op.image]
    if (!img) return
    const doc = this.doc
    const { key, data } = this.images.get(img)
    doc.addContent('q')
    doc.addContent(cm(op.transform))
    this.opacity((op.alpha ?? 1) * alpha, null)
    if (data) {
      const name = this.xobject(key, data)
      this.internals.page.xobjects[name] = this.xobjects.get(key)!.ref
      // Image space has its first row at the top of the unit square; the page is y-down.
      doc.addContent(`1 0 0 -1 0 1 cm /${name} Do`)
    } else {
      const opened = this.pdfkitImage(key, img.data)
      if (opened) this.internals.image(opened, 0, 0, { width: 1, height: 1 })
    }
    doc.addContent('Q')
  }

  /** The picture as an image XObject of this document, written once. */
  private xobject(key: string, data: PdfImageData): string {
    let x = this.xobjects.get(key)
    if (!x) {
      const doc = this.doc
      const image = (
        colorSpace: PdfImageData['colorSpace'],
        filter: 'DCTDecode' | 'FlateDecode',
        bytes: Buffer,
        extra: { SMask?: PDFKit.PDFKitReference } = {},
      ) => {
        const r = doc.ref({
          Type: 'XObject',
          Subtype: 'Image',
          Width: data.width,
          Height: data.height,
          BitsPerComponent: 8,
          ColorSpace: colorSpace,
          Filter: filter,
          ...extra,
        })
        r.end(bytes)
        return r
      }
      // A transparent picture's alpha is its own grey image, written before the picture.
      const ref = data.jpeg
        ? image(data.colorSpace, 'DCTDecode', data.jpeg)
        : image(
            data.colorSpace,
            'FlateDecode',
            data.data,
            data.alpha ? { SMask: image('DeviceGray', 'FlateDecode', data.alpha) } : {},
          )
      x = { name: `AI${this.xobjects.size + 1}`, ref }
      this.xobjects.set(key, x)
    }
    return x.name
  }

  /** A picture this painter does not decode itself, through pdfkit (once per document). */
  private pdfkitImage(key: string, base64: string): unknown {
    let opened = this.fallbackImages.get(key)
    if (opened === undefined) {
      try {
        opened = this.internals.openImage(Buffer.from(base64, 'base64'))
      } catch {
        opened = null
      }
      this.fallbackImages.set(key, opened)
    }
    return opened
  }

  private paintGroup(op: GroupOp, page: RenderPage, alpha: number): void {
    const doc = this.doc
    const a = alpha * (op.alpha ?? 1)
    if (a <= 0) return
    doc.addContent('q')
    for (const clip of op.clips ?? []) {
      const segments = clip.flatMap((c) => parsePath(c.d))
      // An empty clip hides everything, as in the canvas painter.
      doc.addContent(segments.length ? pdfPathOps(segments) : '0 0 m h')
      doc.addContent(clip[0]?.rule === 'evenodd' ? 'W* n' : 'W n')
    }
    for (const child of op.ops) this.paint(child, page, a)
    doc.addContent('Q')
  }
}

/** Paints pages into one PDF in memory. */
export async function pagesToPdf(
  pages: readonly RenderPage[],
  fonts: ArchiveFonts,
  info: PdfInfo,
): Promise<{ bytes: Buffer; stats: PaintStats }> {
  const { PassThrough } = await import('node:stream')
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  const pdf = new ArchivePdf(fonts, info, sink)
  for (const p of pages) pdf.addPage(p)
  await pdf.end()
  return { bytes: Buffer.concat(chunks), stats: pdf.stats }
}
