/** poppler-utils (installed by scripts/setup-system.sh) and image checks for archive PDFs. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'

export interface Crop {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** One page of a PDF as a PNG (pdftoppm), optionally a crop of it. */
export function renderPng(pdf: string, page: number, dpi: number, crop?: Crop): PNG {
  const args = ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile']
  if (crop)
    args.push(
      '-x',
      String(crop.x),
      '-y',
      String(crop.y),
      '-W',
      String(crop.w),
      '-H',
      String(crop.h),
    )
  const out = execFileSync('pdftoppm', [...args, pdf], { maxBuffer: 256 * 1024 * 1024 })
  return PNG.sync.read(out)
}

/** The text of a PDF, in reading order (pdftotext). */
export function pdfText(pdf: string, layout = false): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', pdf, '-'], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8')
}

/** Every font pdffonts lists: name, type, embedded, subset, ToUnicode. */
export function pdfFonts(
  pdf: string,
): { name: string; emb: boolean; sub: boolean; uni: boolean }[] {
  const lines = execFileSync('pdffonts', [pdf]).toString('utf8').split('\n').slice(2)
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/)
      const [emb, sub, uni] = cols.slice(-5, -2)
      return { name: cols[0]!, emb: emb === 'yes', sub: sub === 'yes', uni: uni === 'yes' }
    })
}

export function decodeQr(png: PNG): { data: string; box: Crop } | undefined {
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
  if (!found) return undefined
  const xs = [
    found.location.topLeftCorner.x,
    found.location.bottomRightCorner.x,
    found.location.topRightCorner.x,
    found.location.bottomLeftCorner.x,
  ]
  const ys = [
    found.location.topLeftCorner.y,
    found.location.bottomRightCorner.y,
    found.location.topRightCorner.y,
    found.location.bottomLeftCorner.y,
  ]
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { data: found.data, box: { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y } }
}

/** Share of pixels (outside the masks) whose colour differs by more than `threshold` on any channel. */
export function pixelDifference(
  a: PNG,
  b: PNG,
  masks: readonly Crop[] = [],
  threshold = 48,
): number {
  if (a.width !== b.width || a.height !== b.height) return 1
  let differ = 0
  let counted = 0
  const masked = (x: number, y: number) =>
    masks.some((m) => x >= m.x && x < m.x + m.w && y >= m.y && y < m.y + m.h)
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (masked(x, y)) continue
      counted++
      const i = (y * a.width + x) * 4
      if (
        Math.abs(a.data[i]! - b.data[i]!) > threshold ||
        Math.abs(a.data[i + 1]! - b.data[i + 1]!) > threshold ||
        Math.abs(a.data[i + 2]! - b.data[i + 2]!) > threshold
      )
        differ++
    }
  }
  return counted ? differ / counted : 0
}

/** Dark pixels in a picture (ink coverage): tells a drawn glyph from a blank. */
export function inkPixels(png: PNG, below = 128): number {
  let n = 0
  for (let i = 0; i < png.data.length; i += 4)
    if ((png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3 < below) n++
  return n
}

/**
 * Compares a page with its golden image; `UPDATE_GOLDEN=1` writes the golden instead. Returns
 * the differing share for the assertion.
 */
export function againstGolden(actual: PNG, golden: string, masks: readonly Crop[]): number {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
    if (process.env.UPDATE_GOLDEN !== '1')
      throw new Error(`golden image missing: ${golden} (run with UPDATE_GOLDEN=1)`)
    mkdirSync(dirname(golden), { recursive: true })
    writeFileSync(golden, PNG.sync.write(actual))
    return 0
  }
  const expected = PNG.sync.read(readFileSync(golden))
  return pixelDifference(actual, expected, masks)
}
