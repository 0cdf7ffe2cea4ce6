/** OFD colours (a colour space, components, an index into a palette, alpha) as RGBA. */
import type { Rgba } from '../../../shared/domain'
import type { OfdColor, Resources } from '../model'

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)))

export function resolveColor(
  color: OfdColor | undefined,
  resources: Resources,
  fallback: Rgba | undefined,
  alpha = 1,
): Rgba | undefined {
  if (!color) return fallback ? withAlpha(fallback, alpha) : undefined
  const space = color.colorSpace ? resources.colorSpaces.get(color.colorSpace) : undefined
  const type = space?.type ?? 'RGB'
  const max = Math.pow(2, space?.bitsPerComponent ?? 8) - 1
  let comps = color.value
  if (color.index !== undefined && space?.palette) comps = space.palette[color.index]
  if (!comps || comps.length === 0) {
    if (!fallback) return undefined
    comps = undefined
  }
  const a = ((color.alpha ?? 255) / 255) * alpha
  if (!comps) return withAlpha(fallback!, a)
  const n = comps.map((v) => Math.max(0, Math.min(1, v / max)))
  let rgb: [number, number, number]
  if (type === 'GRAY' || n.length === 1) rgb = [n[0]! * 255, n[0]! * 255, n[0]! * 255]
  else if (type === 'CMYK' || n.length === 4) {
    const [c, m, y, k] = [n[0]!, n[1]!, n[2]!, n[3] ?? 0]
    rgb = [255 * (1 - c) * (1 - k), 255 * (1 - m) * (1 - k), 255 * (1 - y) * (1 - k)]
  } else rgb = [n[0]! * 255, (n[1] ?? 0) * 255, (n[2] ?? 0) * 255]
  return [clamp(rgb[0]), clamp(rgb[1]), clamp(rgb[2]), Math.round(a * 1000) / 1000]
}

function withAlpha(c: Rgba, alpha: number): Rgba {
  return alpha === 1 ? c : [c[0], c[1], c[2], Math.round(c[3] * alpha * 1000) / 1000]
}

export const BLACK: Rgba = [0, 0, 0, 1]
