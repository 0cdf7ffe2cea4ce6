/** Shared by the OFD tests: fixtures, fonts, zipping hand-written edge cases, comparing images. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { zipSync } from 'fflate'
import { PNG } from 'pngjs'
import { createFontLibrary, type FontLibrary } from '../../../../src/main/ofd'

export const ROOT = resolve(import.meta.dirname, '../../../..')
export const RESOURCES = join(ROOT, 'resources')
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'ofd')

let shared: FontLibrary | undefined
/** One font library per test file: parsing the bundled faces once is most of a first render. */
export function fonts(): FontLibrary {
  return (shared ??= createFontLibrary({ resourcesDir: RESOURCES }))
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)))
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

/** Zips a hand-written edge case folder (test/fixtures/ofd/edge/<name>) into an OFD package. */
export function edge(name: string): Uint8Array {
  const dir = join(FIXTURES, 'edge', name)
  const files: Record<string, Uint8Array> = {}
  for (const f of walk(dir))
    files[relative(dir, f).split(sep).join('/')] = new Uint8Array(readFileSync(f))
  return zipSync(files, { mtime: new Date(Date.UTC(2020, 0, 1)) })
}

/** Builds a package from a map of part name → text or bytes. */
export function pack(parts: Record<string, string | Uint8Array>): Uint8Array {
  const files: Record<string, Uint8Array> = {}
  for (const [k, v] of Object.entries(parts))
    files[k] = typeof v === 'string' ? new TextEncoder().encode(v) : v
  return zipSync(files)
}

/** The smallest valid OFD with one page whose content layer holds `objects`. */
export function minimalOfd(
  objects: string,
  extra: Record<string, string | Uint8Array> = {},
  res = '',
): Uint8Array {
  const ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
  return pack({
    'OFD.xml': `<ofd:OFD ${ns} Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    'Doc_0/Document.xml': `<ofd:Document ${ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 100 100</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
    'Doc_0/PublicRes.xml': `<ofd:Res ${ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体"/></ofd:Fonts>${res}</ofd:Res>`,
    'Doc_0/Pages/Page_0/Content.xml': `<ofd:Page ${ns}><ofd:Content><ofd:Layer ID="3">${objects}</ofd:Layer></ofd:Content></ofd:Page>`,
    ...extra,
  })
}

export interface ImageDiff {
  readonly width: number
  readonly height: number
  /** Share of pixels whose channels differ by more than the threshold. */
  readonly differing: number
}

/** Compares two PNGs pixel by pixel; sizes must match within a pixel. */
export function comparePng(a: Uint8Array, b: Uint8Array, threshold = 48, slack = 0): ImageDiff {
  const x = PNG.sync.read(Buffer.from(a))
  const y = PNG.sync.read(Buffer.from(b))
  // Rasterisers may round a page edge differently: compare the common area when sizes differ by a pixel.
  if (Math.abs(x.width - y.width) > 1 || Math.abs(x.height - y.height) > 1)
    return { width: x.width, height: x.height, differing: 1 }
  const w = Math.min(x.width, y.width)
  const h = Math.min(x.height, y.height)
  const close = (i: number, row: number, col: number) => {
    if (row < 0 || col < 0 || row >= h || col >= w) return false
    const j = (row * y.width + col) * 4
    return (
      Math.abs(x.data[i]! - y.data[j]!) <= threshold &&
      Math.abs(x.data[i + 1]! - y.data[j + 1]!) <= threshold &&
      Math.abs(x.data[i + 2]! - y.data[j + 2]!) <= threshold
    )
  }
  // With `slack`, a pixel matches if any pixel that near in the other image does: hinting and
  // anti-aliasing move edges by a pixel between rasterisers, a missing or moved shape does more.
  const matches = (i: number, row: number, col: number) => {
    for (let dr = -slack; dr <= slack; dr++)
      for (let dc = -slack; dc <= slack; dc++) if (close(i, row + dr, col + dc)) return true
    return false
  }
  let diff = 0
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      if (!matches((row * x.width + col) * 4, row, col)) diff++
    }
  }
  return { width: w, height: h, differing: diff / (w * h) }
}
