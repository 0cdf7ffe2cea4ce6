/**
 * Page → draw list. Walks a page's templates, layers, annotations and seal stamps, resolving
 * every CTM, Boundary, draw parameter, colour, font and image, so painters only place shapes.
 * Text becomes glyph positions with outlines from the embedded font, else the bundled face for
 * the named font, else a fallback face for characters the first lacks.
 */
import type {
  Clip,
  DrawOp,
  GroupOp,
  Matrix,
  RenderFont,
  RenderImage,
  RenderPage,
  StrokeStyle,
  TextOp,
} from '../../../shared/domain'
import { CounterError, isCounterError } from '../../../shared/errors'
import { OfdDocument } from '../document'
import type { LoadedFont, FontLibrary } from '../fonts/library'
import { PixelBudget } from '../images/budget'
import { normaliseImage } from '../images/images'
import type {
  ClipDef,
  DrawParamRes,
  GraphicState,
  ImageObject,
  Page,
  PageObject,
  PathObject,
  Resources,
  TextObject,
} from '../model'
import { BLACK, resolveColor } from './color'
import { IDENTITY, isFiniteMatrix, multiply, scale, tidy, translate } from './matrix'
import { parseAbbreviated, parseSvgPath, toPathData } from './path'
import { sealStamps, type SealStamp } from '../seal/stamps'

export interface RenderOptions {
  readonly fonts: FontLibrary
  /** Draw annotations (default true). */
  readonly annotations?: boolean
  /** Draw seal stamps (default true). */
  readonly seals?: boolean
}

interface Ctx {
  readonly doc: OfdDocument
  readonly resources: Resources
  readonly matrix: Matrix
  readonly layerDrawParam?: string
  readonly composites: ReadonlySet<string>
  readonly nesting: number
}

const DEFAULT_LINE_WIDTH = 0.353
const MAX_RELATIVE_DEPTH = 16

function rectPath(x: number, y: number, w: number, h: number, m: Matrix): string {
  return toPathData(
    [
      { op: 'M', p: [x, y] },
      { op: 'L', p: [x + w, y] },
      { op: 'L', p: [x + w, y + h] },
      { op: 'L', p: [x, y + h] },
      { op: 'Z', p: [] },
    ],
    m,
  )
}

class PageRenderer {
  readonly glyphs: Record<string, string> = {}
  readonly images: Record<string, RenderImage> = {}
  readonly fonts: Record<string, RenderFont> = {}
  readonly warnings = new Set<string>()
  private readonly fontKeys = new Map<string, string>()
  private readonly imageKeys = new Map<string, string | null>()
  private budget: number

  constructor(
    private readonly library: FontLibrary,
    budget: number,
    private readonly options: RenderOptions,
    /** What the page's BMP and JBIG2 images, seal pictures included, may decode together. */
    private readonly pixels: PixelBudget,
  ) {
    this.budget = budget
  }

  private spend(n: number, doc: OfdDocument): void {
    this.budget -= n
    if (this.budget < 0)
      throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${doc.name} 绘制量过大` } })
  }

  warn(message: string): void {
    if (this.warnings.size < 100) this.warnings.add(message)
  }

  /** All of a page: background templates, layers, foreground templates, annotations, seals. */
  drawPage(doc: OfdDocument, index: number, base: Matrix, nesting: number): DrawOp[] {
    const page = doc.page(index)
    const ops = this.drawPageContent(doc, page, base, nesting, new Set())
    if (this.options.annotations !== false)
      ops.push(...this.drawAnnotations(doc, index, base, nesting))
    if (this.options.seals !== false && nesting === 0)
      ops.push(...this.drawSeals(doc, index, base, nesting))
    return ops
  }

  private drawPageContent(
    doc: OfdDocument,
    page: Page,
    base: Matrix,
    nesting: number,
    templatesSeen: Set<string>,
  ): DrawOp[] {
    const resources = doc.resourcesFor(page)
    const ctx: Ctx = { doc, resources, matrix: base, composites: new Set(), nesting }
    const back: DrawOp[] = []
    const front: DrawOp[] = []
    for (const t of page.templates) {
      if (templatesSeen.has(t.templateId)) {
        this.warn(`模板页循环引用：${t.templateId}`)
        continue
      }
      const tpl = doc.templatePage(t.templateId)
      if (!tpl) {
        this.warn(`缺少模板页 ${t.templateId}`)
        continue
      }
      const zOrder = t.zOrder ?? doc.templateRefs.get(t.templateId)?.zOrder ?? 'Background'
      const seen = new Set(templatesSeen).add(t.templateId)
      const ops = this.drawPageContent(doc, tpl, base, nesting, seen)
      const group: GroupOp = { kind: 'group', role: 'template', ref: t.templateId, ops }
      ;(zOrder === 'Foreground' ? front : back).push(group)
    }
    const order = { Background: 0, Body: 1, Custom: 1, Foreground: 2 } as const
    const layers = [...page.layers].sort((a, b) => order[a.type] - order[b.type])
    const content: DrawOp[] = []
    for (const layer of layers) {
      const lctx = layer.drawParam ? { ...ctx, layerDrawParam: layer.drawParam } : ctx
      content.push(...this.drawObjects(layer.objects, lctx))
    }
    return [...back, ...content, ...front]
  }

  drawObjects(objects: readonly PageObject[], ctx: Ctx): DrawOp[] {
    const out: DrawOp[] = []
    for (const obj of objects) {
      const op = this.drawObject(obj, ctx)
      if (op) out.push(op)
    }
    return out
  }

  private drawObject(obj: PageObject, ctx: Ctx): DrawOp | undefined {
    this.spend(1, ctx.doc)
    if (obj.kind === 'block') {
      const ops = this.drawObjects(obj.objects, ctx)
      return ops.length ? { kind: 'group', ops } : undefined
    }
    if (!obj.visible) return undefined
    const m = this.objectMatrix(ctx.matrix, obj)
    if (!isFiniteMatrix(m)) {
      this.warn('图元变换矩阵无效')
      return undefined
    }
    let op: DrawOp | undefined
    switch (obj.kind) {
      case 'path':
        op = this.drawPath(obj, ctx, m)
        break
      case 'text':
        op = this.drawText(obj, ctx, m)
        break
      case 'image':
        op = this.drawImage(obj, ctx, m)
        break
      case 'composite': {
        const unit = ctx.resources.compositeUnits.get(obj.resourceId)
        if (!unit) {
          this.warn(`缺少复合图元资源 ${obj.resourceId}`)
          break
        }
        if (ctx.composites.has(unit.id)) {
          this.warn(`复合图元循环引用：${unit.id}`)
          break
        }
        const ops = this.drawObjects(unit.objects, {
          ...ctx,
          matrix: m,
          composites: new Set(ctx.composites).add(unit.id),
        })
        op = ops.length ? { kind: 'group', ops } : undefined
        break
      }
    }
    if (!op) return undefined
    const clips = this.clips(obj.clips, ctx, obj)
    const alpha = obj.alpha !== undefined && obj.alpha < 255 ? obj.alpha / 255 : undefined
    if (!clips.length && alpha === undefined) return op
    return {
      kind: 'group',
      ...(clips.length ? { clips } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
      ops: [op],
    }
  }

  /** Page ← object space: the parent's transform, then Boundary's origin, then the CTM. */
  private objectMatrix(parent: Matrix, obj: GraphicState): Matrix {
    const [bx, by] = obj.boundary
    const t = bx || by ? multiply(parent, translate(bx, by)) : parent
    return obj.ctm ? multiply(t, obj.ctm) : t
  }

  private drawParam(ctx: Ctx, id: string | undefined): DrawParamRes | undefined {
    const chain: DrawParamRes[] = []
    const seen = new Set<string>()
    let next = id ?? ctx.layerDrawParam
    while (next && !seen.has(next) && chain.length < MAX_RELATIVE_DEPTH) {
      seen.add(next)
      const dp = ctx.resources.drawParams.get(next)
      if (!dp) break
      chain.push(dp)
      next = dp.relative
    }
    if (!chain.length) return undefined
    // The nearest parameter wins over the ones it is relative to.
    return chain.reduceRight<DrawParamRes>((acc, dp) => ({ ...acc, ...dp }), { id: '' })
  }

  private strokeStyle(
    obj: GraphicState & { strokeColor?: PathObject['strokeColor'] },
    dp: DrawParamRes | undefined,
    ctx: Ctx,
  ): StrokeStyle {
    const width = obj.lineWidth ?? dp?.lineWidth ?? DEFAULT_LINE_WIDTH
    const cap = (obj.cap ?? dp?.cap ?? 'Butt').toLowerCase()
    const join = (obj.join ?? dp?.join ?? 'Miter').toLowerCase()
    const dash = obj.dashPattern ?? dp?.dashPattern
    const dashOffset = obj.dashOffset ?? dp?.dashOffset
    return {
      color: resolveColor(obj.strokeColor ?? dp?.strokeColor, ctx.resources, BLACK)!,
      width: width > 0 ? width : 0.1,
      cap: cap === 'round' ? 'round' : cap === 'square' ? 'square' : 'butt',
      join: join === 'round' ? 'round' : join === 'bevel' ? 'bevel' : 'miter',
      miterLimit: obj.miterLimit ?? dp?.miterLimit ?? 4,
      ...(dash && dash.length && dash.every((v) => v >= 0) && dash.some((v) => v > 0)
        ? { dash: [...dash] }
        : {}),
      ...(dashOffset ? { dashOffset } : {}),
    }
  }

  private drawPath(obj: PathObject, ctx: Ctx, m: Matrix): DrawOp | undefined {
    const segments = parseAbbreviated(obj.data)
    this.spend(Math.ceil(segments.length / 50), ctx.doc)
    if (!segments.length) return undefined
    const dp = this.drawParam(ctx, obj.drawParam)
    const fill = obj.fill
      ? resolveColor(obj.fillColor ?? dp?.fillColor, ctx.resources, undefined)
      : undefined
    const stroke = obj.stroke ? this.strokeStyle(obj, dp, ctx) : undefined
    if (!fill && !stroke) return undefined
    return {
      kind: 'path',
      d: toPathData(segments),
      transform: tidy(m),
      ...(fill ? { fill } : {}),
      rule: obj.rule === 'Even-Odd' ? 'evenodd' : 'nonzero',
      ...(stroke ? { stroke } : {}),
    }
  }

  private fontKey(font: LoadedFont, family: string): string {
    let key = this.fontKeys.get(font.key)
    if (!key) {
      key = `f${this.fontKeys.size}`
      this.fontKeys.set(font.key, key)
      this.fonts[key] = { family, source: font.source, face: font.face }
    }
    return key
  }

  private primaryFont(
    obj: TextObject,
    ctx: Ctx,
  ): { font: LoadedFont; family: string; named: LoadedFont } {
    const res = ctx.resources.fonts.get(obj.font)
    if (!res) this.warn(`缺少字体资源 ${obj.font}`)
    const family = res?.familyName || res?.fontName || '宋体'
    const named = this.library.forName(
      `${res?.fontName ?? ''} ${res?.familyName ?? ''}`,
      res?.serif ?? false,
    )
    if (res?.fontFile) {
      try {
        const bytes = ctx.doc.pkg.read(res.fontFile)
        const embedded = this.library.embedded(bytes)
        if (embedded) return { font: embedded, family, named }
        this.warn(`嵌入字体无法读取，已用 ${named.face} 代替：${res.fontName}`)
      } catch (error) {
        if (!isCounterError(error)) throw error
        if (error.code === 'OFD_ZIP_UNSAFE') throw error
        this.warn(`嵌入字体缺失，已用 ${named.face} 代替：${res.fontName}`)
      }
    }
    return { font: named, family, named }
  }

  private drawText(obj: TextObject, ctx: Ctx, m: Matrix): DrawOp | undefined {
    if (!(obj.size > 0) || obj.codes.length === 0) return undefined
    const { font, family, named } = this.primaryFont(obj, ctx)
    const fontKey = this.fontKey(font, family)
    const dp = this.drawParam(ctx, obj.drawParam)
    const fill = obj.fill
      ? resolveColor(obj.fillColor ?? dp?.fillColor, ctx.resources, BLACK)
      : undefined
    let stroke = obj.stroke ? this.strokeStyle(obj, dp, ctx) : undefined
    if (obj.weight >= 600 && !stroke && fill) {
      // No bold faces are bundled: embolden by stroking the outline in the fill colour.
      stroke = { color: fill, width: obj.size * 0.03, cap: 'round', join: 'round', miterLimit: 4 }
    }
    if (!fill && !stroke) return undefined

    // Glyph indexes from CGTransform, by character position over all TextCodes of the object.
    const overrides = new Map<number, number[]>()
    if (font.source === 'embedded') {
      for (const cg of obj.cgTransforms) {
        for (let k = 0; k < cg.codeCount; k++) {
          const glyphs = k < cg.glyphs.length ? [cg.glyphs[k]!] : []
          if (k === cg.codeCount - 1 && cg.glyphs.length > cg.codeCount)
            glyphs.push(...cg.glyphs.slice(cg.codeCount))
          overrides.set(cg.codePosition + k, glyphs)
        }
      }
    }

    const glyphs: TextOp['glyphs'] = []
    const scaleEm = obj.size / 1000
    const dir = ((obj.readDirection % 360) + 360) % 360
    let x = 0
    let y = 0
    let position = 0
    let text = ''
    for (const code of obj.codes) {
      const chars = [...code.text]
      this.spend(Math.ceil(chars.length / 20), ctx.doc)
      if (code.x !== undefined) x = code.x
      if (code.y !== undefined) y = code.y
      text += code.text
      chars.forEach((ch, i) => {
        const cp = ch.codePointAt(0)!
        const forced = overrides.get(position)
        const drawn = forced
          ? forced.filter((g) => g >= 0 && g < font.glyphCount).map((gid) => ({ font, gid }))
          : [this.fontFor(cp, font, named)]
        let advance = 0
        for (const { font: f, gid } of drawn) {
          const key = `${this.fontKey(f, family)}:${gid}`
          if (!(key in this.glyphs)) this.glyphs[key] = f.outline(gid)
          const hasOutline = this.glyphs[key] !== ''
          glyphs.push({ ...(hasOutline ? { g: key } : {}), x: round(x), y: round(y), c: ch })
          advance = Math.max(advance, f.advance(gid))
        }
        // DeltaX/DeltaY space a TextCode's characters; where they say nothing, and after its
        // last character (a next TextCode without X continues there), the advance does.
        const last = i === chars.length - 1
        const dx = last ? undefined : code.deltaX?.[i]
        const dy = last ? undefined : code.deltaY?.[i]
        if (dx !== undefined || dy !== undefined) {
          x += dx ?? 0
          y += dy ?? 0
        } else {
          const step = advance * scaleEm * obj.hScale
          if (dir === 90) y += step
          else if (dir === 180) x -= step
          else if (dir === 270) y -= step
          else x += step
        }
        position++
      })
    }
    const glyphTransform = this.glyphTransform(obj, font)
    return {
      kind: 'text',
      transform: tidy(m),
      size: obj.size,
      ...(glyphTransform ? { glyphTransform } : {}),
      ...(fill ? { fill } : {}),
      ...(stroke ? { stroke } : {}),
      font: fontKey,
      text,
      glyphs,
    }
  }

  /** Horizontal scale, synthetic italic, character rotation: the 2×2 part applied per glyph. */
  private glyphTransform(
    obj: TextObject,
    font: LoadedFont,
  ): [number, number, number, number] | undefined {
    let t: Matrix = IDENTITY
    if (obj.hScale !== 1) t = multiply(t, scale(obj.hScale, 1))
    const dir = ((obj.charDirection % 360) + 360) % 360
    if (dir) {
      const r = (dir * Math.PI) / 180
      t = multiply(t, [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0])
    }
    if (obj.italic && font.source !== 'embedded') t = multiply(t, [1, 0, -0.2, 1, 0, 0])
    if (t === IDENTITY) return undefined
    return [round6(t[0]), round6(t[1]), round6(t[2]), round6(t[3])]
  }

  /** The first font that has the character: the primary, the named face, then the fallbacks. */
  private fontFor(
    cp: number,
    primary: LoadedFont,
    named: LoadedFont,
  ): { font: LoadedFont; gid: number } {
    let gid = primary.glyphId(cp)
    if (gid) return { font: primary, gid }
    if (named !== primary) {
      gid = named.glyphId(cp)
      if (gid) return { font: named, gid }
    }
    if (cp <= 0x20 || cp === 0x3000) return { font: primary, gid: 0 }
    for (const f of this.library.fallbacks(named)) {
      gid = f.glyphId(cp)
      if (gid) return { font: f, gid }
    }
    this.warn(`没有字体包含字符 ${String.fromCodePoint(cp)}（U+${cp.toString(16).toUpperCase()}）`)
    return { font: primary, gid: 0 }
  }

  private imageKey(
    cacheKey: string,
    load: () => Uint8Array,
    whiteToTransparent: boolean,
    maxPixels: number,
    declared?: string,
  ): string | undefined {
    const have = this.imageKeys.get(cacheKey)
    if (have !== undefined) return have ?? undefined
    try {
      const image = normaliseImage(load(), {
        maxPixels,
        budget: this.pixels,
        whiteToTransparent,
        ...(declared ? { declared } : {}),
      })
      const key = `i${Object.keys(this.images).length}`
      this.images[key] = image
      this.imageKeys.set(cacheKey, key)
      return key
    } catch (error) {
      if (!isCounterError(error) || error.code === 'OFD_ZIP_UNSAFE') throw error
      this.warn(`图像无法显示（${error.message}）`)
      this.imageKeys.set(cacheKey, null)
      return undefined
    }
  }

  private drawImage(obj: ImageObject, ctx: Ctx, m: Matrix): DrawOp | undefined {
    const media = ctx.resources.media.get(obj.resourceId)
    const [, , bw, bh] = obj.boundary
    // Without a CTM an image fills its boundary (the unit square scaled to it).
    const transform = obj.ctm ? m : multiply(m, scale(bw, bh))
    const key = media
      ? this.imageKey(
          `${ctx.doc.name}#${media.file}`,
          () => ctx.doc.pkg.read(media.file),
          false,
          ctx.doc.limits.maxImagePixels,
          media.format,
        )
      : undefined
    if (!media) this.warn(`缺少图像资源 ${obj.resourceId}`)
    if (!key) return this.placeholder(transform)
    return { kind: 'image', image: key, transform: tidy(transform) }
  }

  /** A light box with a cross where an image could not be drawn. */
  private placeholder(unit: Matrix): DrawOp {
    return {
      kind: 'path',
      d: 'M0 0L1 0L1 1L0 1ZM0 0L1 1M1 0L0 1',
      transform: tidy(unit),
      fill: [240, 240, 240, 1],
      rule: 'nonzero',
      stroke: {
        color: [190, 190, 190, 1],
        width: 0.005,
        cap: 'butt',
        join: 'miter',
        miterLimit: 4,
      },
    }
  }

  private clips(defs: readonly ClipDef[], ctx: Ctx, obj: GraphicState): Clip[][] {
    if (!defs.length) return []
    const [bx, by] = obj.boundary
    const base = multiply(ctx.matrix, translate(bx, by))
    return defs
      .map((def) =>
        def.areas.flatMap((area): Clip[] => {
          const am = area.ctm ? multiply(base, area.ctm) : base
          const shape = area.shape
          const sm = this.objectMatrix(am, shape)
          if (shape.kind === 'path') {
            return [
              {
                d: toPathData(parseAbbreviated(shape.data), sm),
                rule: shape.rule === 'Even-Odd' ? 'evenodd' : 'nonzero',
              },
            ]
          }
          const text = this.drawText(shape, { ...ctx, matrix: am }, sm)
          if (!text || text.kind !== 'text') return []
          return [{ d: this.textOutline(text), rule: 'nonzero' }]
        }),
      )
      .filter((c) => c.length > 0)
  }

  /** A text op's glyphs as one page-space path (text used as a clip). */
  private textOutline(op: TextOp): string {
    const k = op.size / 1000
    const gt = op.glyphTransform ?? [1, 0, 0, 1]
    let d = ''
    for (const g of op.glyphs) {
      if (!g.g) continue
      const m = multiply(multiply(op.transform, translate(g.x, g.y)), [
        gt[0] * k,
        gt[1] * k,
        gt[2] * k,
        gt[3] * k,
        0,
        0,
      ])
      d += toPathData(parseSvgPath(this.glyphs[g.g] ?? ''), m)
    }
    return d
  }

  private drawAnnotations(
    doc: OfdDocument,
    index: number,
    base: Matrix,
    nesting: number,
  ): DrawOp[] {
    const out: DrawOp[] = []
    let annots
    try {
      annots = doc.annotations(index)
    } catch (error) {
      if (
        !isCounterError(error) ||
        error.code === 'OFD_ZIP_UNSAFE' ||
        error.code === 'OFD_LIMIT_EXCEEDED'
      )
        throw error
      this.warn(`注释无法读取（${error.message}）`)
      return out
    }
    const resources = doc.resourcesFor(doc.page(index))
    for (const a of annots) {
      if (!a.visible || !a.appearance) continue
      const [x, y] = a.appearance.boundary
      const ctx: Ctx = {
        doc,
        resources,
        matrix: multiply(base, translate(x, y)),
        composites: new Set(),
        nesting,
      }
      const ops = this.drawObjects(a.appearance.objects, ctx)
      if (ops.length) out.push({ kind: 'group', role: 'annotation', ref: a.id, ops })
    }
    return out
  }

  private drawSeals(doc: OfdDocument, index: number, base: Matrix, nesting: number): DrawOp[] {
    let stamps: SealStamp[]
    try {
      stamps = sealStamps(doc, index)
    } catch (error) {
      if (!isCounterError(error) || error.code === 'OFD_ZIP_UNSAFE') throw error
      this.warn(`签章外观无法读取（${error.message}）`)
      return []
    }
    const out: DrawOp[] = []
    for (const s of stamps) {
      const [x, y, w, h] = s.boundary
      const clipBox = s.clip ?? s.boundary
      const clip: Clip = {
        d: rectPath(clipBox[0], clipBox[1], clipBox[2], clipBox[3], base),
        rule: 'nonzero',
      }
      let ops: DrawOp[] = []
      const box = multiply(base, multiply(translate(x, y), scale(w, h)))
      if (s.picture.kind === 'image') {
        const p = s.picture
        const key = this.imageKey(
          `${doc.name}#seal#${s.signatureId}`,
          () => p.bytes,
          p.format === 'bmp',
          doc.limits.maxImagePixels,
        )
        ops = key ? [{ kind: 'image', image: key, transform: tidy(box) }] : [this.placeholder(box)]
      } else if (s.picture.kind === 'ofd') {
        ops = this.drawOfdPicture(s.picture.bytes, doc, base, s.boundary, nesting)
      } else {
        this.warn(`签章 ${s.signatureId} 的印章图像格式不支持（${s.picture.format}）`)
        ops = [this.placeholder(box)]
      }
      out.push({ kind: 'group', role: 'seal', ref: s.signatureId, clips: [[clip]], ops })
    }
    return out
  }

  /** A seal picture that is itself an OFD: its first page, scaled into the stamp's box. */
  private drawOfdPicture(
    bytes: Uint8Array,
    doc: OfdDocument,
    base: Matrix,
    boundary: readonly [number, number, number, number],
    nesting: number,
  ): DrawOp[] {
    if (nesting + 1 > doc.limits.maxNesting) {
      this.warn('印章图像嵌套过深')
      return []
    }
    try {
      const inner = openNested(bytes, doc)
      const box = inner.pageBox(0).physicalBox
      const [x, y, w, h] = boundary
      const m = multiply(
        base,
        multiply(
          translate(x, y),
          multiply(scale(w / box[2], h / box[3]), translate(-box[0], -box[1])),
        ),
      )
      return this.drawPage(inner, 0, m, nesting + 1)
    } catch (error) {
      if (!isCounterError(error)) throw error
      this.warn(`印章图像（OFD）无法显示（${error.message}）`)
      return []
    }
  }
}

function openNested(bytes: Uint8Array, parent: OfdDocument): OfdDocument {
  return OfdDocument.open(bytes, { name: `${parent.name}#印章`, limits: parent.limits })
}

const round = (v: number) => Math.round(v * 10000) / 10000 || 0
const round6 = (v: number) => Math.round(v * 1e6) / 1e6 || 0

/** Renders one page (index from 0) to the draw list. */
export function renderPage(doc: OfdDocument, index: number, options: RenderOptions): RenderPage {
  const area = doc.pageBox(index)
  const [px, py, width, height] = area.physicalBox
  const renderer = new PageRenderer(
    options.fonts,
    doc.limits.maxObjectsPerPage,
    options,
    new PixelBudget(doc.limits.maxImagePixels),
  )
  const ops = renderer.drawPage(doc, index, translate(-px, -py), 0)
  return {
    index,
    width,
    height,
    ops,
    glyphs: renderer.glyphs,
    images: renderer.images,
    fonts: renderer.fonts,
    warnings: [...renderer.warnings],
  }
}
