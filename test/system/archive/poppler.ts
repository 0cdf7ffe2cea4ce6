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

/** One page of a PDF as a PNG (pdftoppm), optionally a crop of it, with pdftoppm's `options`. */
export function renderPng(
  pdf: string,
  page: number,
  dpi: number,
  crop?: Crop,
  options: readonly string[] = [],
): PNG {
  const args = [
    '-png',
    '-r',
    String(dpi),
    ...options,
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
  ]
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

/** A word pdftotext found, with its box in points from the page's top left. */
export interface PdfWord {
  readonly text: string
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/** The words of one page with their boxes (pdftotext -bbox). */
export function pdfWords(pdf: string, page = 1): PdfWord[] {
  const html = execFileSync(
    'pdftotext',
    ['-bbox', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), pdf, '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8')
  const unescape = (t: string) =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
  return [
    ...html.matchAll(
      /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((m) => ({
    text: unescape(m[5]!),
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
  }))
}

/**
 * How many times `text` is written as a rotated run inside `area` (points): its characters,
 * which pdftotext reports one word each when the run is diagonal, found one after another at
 * equal steps rising at `degrees` from the horizontal.
 */
export function rotatedRuns(
  words: readonly PdfWord[],
  text: string,
  area: Crop,
  degrees: number,
): number {
  const chars = [...text]
  const centre = (w: PdfWord) => [(w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2] as const
  const within = ([x, y]: readonly [number, number]) =>
    x >= area.x && x <= area.x + area.w && y >= area.y && y <= area.y + area.h
  const of = (c: string) => words.filter((w) => w.text === c).map(centre)
  const [first, second, ...rest] = chars.map(of)
  let runs = 0
  for (const a of first ?? []) {
    const step = (second ?? []).find((b) => {
      const dx = b[0] - a[0]
      const dy = a[1] - b[1]
      const angle = (Math.atan2(dy, dx) * 180) / Math.PI
      return Math.abs(angle - degrees) < 5 && Math.hypot(dx, dy) < 100
    })
    if (!step) continue
    const v = [step[0] - a[0], step[1] - a[1]] as const
    const tolerance = Math.hypot(...v) * 0.2
    const points = [a, step]
    for (const [k, candidates] of rest.entries()) {
      const want = [a[0] + v[0] * (k + 2), a[1] + v[1] * (k + 2)] as const
      const hit = candidates.find((c) => Math.hypot(c[0] - want[0], c[1] - want[1]) < tolerance)
      if (hit) points.push(hit)
    }
    if (points.length === chars.length && points.every(within)) runs++
  }
  return runs
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

/** The picture moved right and down by whole pixels (the uncovered edge repeats). */
export function shifted(png: PNG, dx: number, dy: number): PNG {
  const out = new PNG({ width: png.width, height: png.height })
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const from = (Math.max(0, y - dy) * png.width + Math.max(0, x - dx)) * 4
      png.data.copy(out.data, (y * png.width + x) * 4, from, from + 4)
    }
  return out
}

/**
 * What one render adds to another inside a box: the share of pixels it makes darker by more
 * than `threshold` on some channel, the same share in each cell of a `grid`×`grid` division of
 * the box (is it spread over all of it?), and how dark it makes them at most (the 99th
 * percentile of the darkening, so a handful of edge pixels do not decide).
 */
export function inkAdded(
  withIt: PNG,
  without: PNG,
  box: Crop,
  grid = 3,
  threshold = 12,
): { share: number; cells: number[]; darkest: number } {
  const cells = new Array<number>(grid * grid).fill(0)
  const counts = new Array<number>(grid * grid).fill(0)
  const darkening: number[] = []
  for (let y = box.y; y < box.y + box.h; y++)
    for (let x = box.x; x < box.x + box.w; x++) {
      const cell =
        Math.min(grid - 1, Math.floor(((y - box.y) * grid) / box.h)) * grid +
        Math.min(grid - 1, Math.floor(((x - box.x) * grid) / box.w))
      counts[cell]!++
      const i = (y * withIt.width + x) * 4
      let d = 0
      for (let k = 0; k < 3; k++) d = Math.max(d, without.data[i + k]! - withIt.data[i + k]!)
      if (d > threshold) {
        cells[cell]!++
        darkening.push(d)
      }
    }
  darkening.sort((a, b) => a - b)
  const total = counts.reduce((a, b) => a + b, 0)
  return {
    share: total ? darkening.length / total : 0,
    cells: cells.map((n, i) => (counts[i] ? n / counts[i]! : 0)),
    darkest: darkening.length ? darkening[Math.floor(darkening.length * 0.99)]! : 0,
  }
}

/** Dark pixels in a picture (ink coverage): tells a drawn glyph from a blank. */
export function inkPixels(png: PNG, below = 128): number {
  let n = 0
  for (let i = 0; i < png.data.length; i += 4)
    if ((png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3 < below) n++
  return n
}

/** A part of the page checked on its own, with the share of changed pixels it tolerates. */
export interface Region {
  readonly name: string
  readonly box: Crop
  /** Largest share of the region's (unmasked) pixels that may change. */
  readonly limit: number
}

export interface RegionResult {
  readonly name: string
  readonly share: number
  readonly limit: number
  readonly pass: boolean
}

const inside = (m: Crop, x: number, y: number) =>
  x >= m.x && x < m.x + m.w && y >= m.y && y < m.y + m.h

/**
 * Whether pixel (x, y) of `a` lies outside what `b` shows around it: on some channel, more than
 * `threshold` below the darkest or above the lightest of b's 3×3 neighbourhood. Along an edge
 * the neighbourhood spans dark to light, so anti-aliasing that shades an edge pixel differently,
 * or moves the edge by a pixel, is not a change; on a flat area (paper, the inside of a stroke,
 * the watermark's light grey) the range is narrow and a few levels are.
 */
function outsideNeighbourhood(a: PNG, b: PNG, x: number, y: number, threshold: number): boolean {
  const i = (y * a.width + x) * 4
  for (let k = 0; k < 3; k++) {
    let lo = 255
    let hi = 0
    for (let yy = Math.max(0, y - 1); yy <= Math.min(b.height - 1, y + 1); yy++)
      for (let xx = Math.max(0, x - 1); xx <= Math.min(b.width - 1, x + 1); xx++) {
        const v = b.data[(yy * b.width + xx) * 4 + k]!
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
    const v = a.data[i + k]!
    if (v < lo - threshold || v > hi + threshold) return true
  }
  return false
}

/**
 * Share of a box's pixels (outside the masks) that changed between two renders of a page:
 * something drawn in one is missing or different in the other, either way round.
 */
export function changedShare(
  a: PNG,
  b: PNG,
  box: Crop,
  masks: readonly Crop[] = [],
  threshold = 12,
): number {
  if (a.width !== b.width || a.height !== b.height) return 1
  let changed = 0
  let counted = 0
  const x1 = Math.min(a.width, box.x + box.w)
  const y1 = Math.min(a.height, box.y + box.h)
  for (let y = Math.max(0, box.y); y < y1; y++)
    for (let x = Math.max(0, box.x); x < x1; x++) {
      if (masks.some((m) => inside(m, x, y))) continue
      counted++
      if (
        outsideNeighbourhood(a, b, x, y, threshold) ||
        outsideNeighbourhood(b, a, x, y, threshold)
      )
        changed++
    }
  return counted ? changed / counted : 0
}

/** Each region of two renders compared on its own. */
export function compareRegions(
  actual: PNG,
  expected: PNG,
  regions: readonly Region[],
  masks: readonly Crop[],
): RegionResult[] {
  return regions.map((r) => {
    const share = changedShare(actual, expected, r.box, masks)
    return { name: r.name, share, limit: r.limit, pass: share <= r.limit }
  })
}

/** The names of the regions that changed more than they may. */
export const failedRegions = (results: readonly RegionResult[]): string[] =>
  results.filter((r) => !r.pass).map((r) => r.name)

/** Every region's share against its limit, for an assertion's message. */
export const summary = (results: readonly RegionResult[]): string =>
  results
    .map((r) => `${r.name} ${(r.share * 100).toFixed(3)}% (≤ ${(r.limit * 100).toFixed(1)}%)`)
    .join(', ')

/** A copy of a page with the masked boxes painted white (what a golden image stores). */
export function blankMasks(png: PNG, masks: readonly Crop[]): PNG {
  const out = new PNG({ width: png.width, height: png.height })
  png.data.copy(out.data)
  for (const m of masks)
    for (let y = Math.max(0, m.y); y < Math.min(png.height, m.y + m.h); y++)
      out.data.fill(
        255,
        (y * png.width + Math.max(0, m.x)) * 4,
        (y * png.width + Math.min(png.width, m.x + m.w)) * 4,
      )
  return out
}

/**
 * Compares a page with its golden image region by region. `UPDATE_GOLDEN=1` writes the golden
 * instead (with the masks blanked: the QR code's signature differs on every print) — only ever
 * from a render known to be right: look at the image before committing it.
 */
export function againstGolden(
  actual: PNG,
  golden: string,
  regions: readonly Region[],
  masks: readonly Crop[],
): RegionResult[] {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(golden), { recursive: true })
    writeFileSync(golden, PNG.sync.write(blankMasks(actual, masks), { colorType: 2 }))
  }
  if (!existsSync(golden))
    throw new Error(`golden image missing: ${golden} (run with UPDATE_GOLDEN=1)`)
  return compareRegions(actual, PNG.sync.read(readFileSync(golden)), regions, masks)
}
