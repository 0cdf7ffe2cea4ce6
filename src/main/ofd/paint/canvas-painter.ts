/**
 * Paints a draw list on any 2D canvas: @napi-rs/canvas in main (the rasteriser), an
 * HTMLCanvasElement elsewhere. The context, paths and decoded images come from the caller, so
 * this module needs neither.
 */
import type { DrawOp, Matrix, RenderPage, Rgba, StrokeStyle } from '../../../shared/domain'
import { multiply, translate } from '../render/matrix'

/** The part of CanvasRenderingContext2D the painter uses. */
export interface Canvas2D<P, I> {
  save(): void
  restore(): void
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void
  fillStyle: unknown
  strokeStyle: unknown
  lineWidth: number
  lineCap: string
  lineJoin: string
  miterLimit: number
  globalAlpha: number
  lineDashOffset: number
  setLineDash(segments: number[]): void
  fill(path: P, rule?: 'nonzero' | 'evenodd'): void
  stroke(path: P): void
  clip(path: P, rule?: 'nonzero' | 'evenodd'): void
  drawImage(image: I, dx: number, dy: number, dw: number, dh: number): void
}

export interface PaintEnv<P, I> {
  readonly ctx: Canvas2D<P, I>
  /** Builds a path from SVG path data. */
  readonly path: (d: string) => P
  /** Decoded images by their key in the page. */
  readonly images: ReadonlyMap<string, I>
  /** Pixels per millimetre. */
  readonly scale: number
}

export const css = (c: Rgba) => `rgba(${c[0]},${c[1]},${c[2]},${c[3]})`

export function paintPage<P, I>(page: RenderPage, env: PaintEnv<P, I>): void {
  const glyphPaths = new Map<string, P>()
  const base: Matrix = [env.scale, 0, 0, env.scale, 0, 0]
  const { ctx } = env
  const set = (m: Matrix) => ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5])
  const applyStroke = (s: StrokeStyle, widthScale = 1) => {
    ctx.strokeStyle = css(s.color)
    ctx.lineWidth = s.width * widthScale
    ctx.lineCap = s.cap
    ctx.lineJoin = s.join
    ctx.miterLimit = s.miterLimit
    ctx.setLineDash(s.dash ? s.dash.map((v) => v * widthScale) : [])
    ctx.lineDashOffset = (s.dashOffset ?? 0) * widthScale
  }

  const paint = (op: DrawOp): void => {
    switch (op.kind) {
      case 'path': {
        const p = env.path(op.d)
        set(multiply(base, op.transform))
        if (op.fill) {
          ctx.fillStyle = css(op.fill)
          ctx.fill(p, op.rule)
        }
        if (op.stroke) {
          applyStroke(op.stroke)
          ctx.stroke(p)
        }
        return
      }
      case 'text': {
        const k = op.size / 1000
        const gt = op.glyphTransform ?? [1, 0, 0, 1]
        const em: Matrix = [gt[0] * k, gt[1] * k, gt[2] * k, gt[3] * k, 0, 0]
        const m = multiply(base, op.transform)
        if (op.fill) ctx.fillStyle = css(op.fill)
        if (op.stroke) applyStroke(op.stroke, 1 / k)
        for (const g of op.glyphs) {
          if (!g.g) continue
          let p = glyphPaths.get(g.g)
          if (p === undefined) {
            p = env.path(page.glyphs[g.g] ?? '')
            glyphPaths.set(g.g, p)
          }
          set(multiply(multiply(m, translate(g.x, g.y)), em))
          if (op.fill) ctx.fill(p)
          if (op.stroke) ctx.stroke(p)
        }
        return
      }
      case 'image': {
        const img = env.images.get(op.image)
        if (!img) return
        set(multiply(base, op.transform))
        if (op.alpha !== undefined) {
          ctx.save()
          ctx.globalAlpha *= op.alpha
          ctx.drawImage(img, 0, 0, 1, 1)
          ctx.restore()
        } else ctx.drawImage(img, 0, 0, 1, 1)
        return
      }
      case 'group': {
        ctx.save()
        if (op.alpha !== undefined) ctx.globalAlpha *= op.alpha
        for (const clip of op.clips ?? []) {
          set(base)
          ctx.clip(env.path(clip.map((c) => c.d).join('')), clip[0]?.rule ?? 'nonzero')
        }
        for (const child of op.ops) paint(child)
        ctx.restore()
        return
      }
    }
  }
  for (const op of page.ops) paint(op)
}
