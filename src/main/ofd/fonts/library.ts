/**
 * Fonts for rendering and writing: the bundled faces standing in for named fonts, fonts embedded
 * in documents, and extra fonts an office adds for rare characters. Parsed once (fontkit) and
 * cached, as are glyph outlines, so rendering a second licence costs only what is new in it.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type * as fontkit from 'fontkit'
import { CounterError } from '../../../shared/errors'
import { BUNDLED_FACES, styleForFontName, type BundledStyle } from './bundled'

/** fontkit is loaded on first use: a process that never draws text (the core at start-up) skips its cost. */
let fontkitModule: typeof fontkit | undefined
function fontkitLib(): typeof fontkit {
  return (fontkitModule ??= createRequire(import.meta.url)('fontkit') as typeof fontkit)
}

export interface LoadedFont {
  /** Stable for the process: `bundled:song`, `embedded:<hash>`, `extra:<n>`. */
  readonly key: string
  /** The face's family name. */
  readonly face: string
  readonly source: 'embedded' | 'bundled' | 'fallback'
  /** The font file as loaded (the writer subsets it). */
  readonly bytes: Uint8Array
  readonly glyphCount: number
  /** The glyph for a code point, 0 when the font has none. */
  glyphId(codePoint: number): number
  /** Advance width, em = 1000. */
  advance(glyphId: number): number
  /** The outline as SVG path data (em = 1000, y down, origin on the baseline); '' when blank. */
  outline(glyphId: number): string
}

const OUTLINE_CACHE_LIMIT = 20_000

class FontkitFont implements LoadedFont {
  private readonly outlines = new Map<number, string>()
  private readonly cmapCache = new Map<number, number>()
  readonly glyphCount: number
  private readonly scale: number

  constructor(
    readonly key: string,
    readonly source: LoadedFont['source'],
    readonly bytes: Uint8Array,
    private readonly font: fontkit.Font,
  ) {
    this.glyphCount = font.numGlyphs
    this.scale = 1000 / (font.unitsPerEm || 1000)
  }

  get face(): string {
    return this.font.familyName || this.font.postscriptName || 'unknown'
  }

  glyphId(codePoint: number): number {
    const cached = this.cmapCache.get(codePoint)
    if (cached !== undefined) return cached
    let id = 0
    try {
      id = this.font.hasGlyphForCodePoint(codePoint) ? this.font.glyphForCodePoint(codePoint).id : 0
    } catch {
      id = 0
    }
    this.cmapCache.set(codePoint, id)
    return id
  }

  advance(glyphId: number): number {
    try {
      return this.font.getGlyph(glyphId).advanceWidth * this.scale
    } catch {
      return 1000
    }
  }

  outline(glyphId: number): string {
    const cached = this.outlines.get(glyphId)
    if (cached !== undefined) return cached
    let d = ''
    try {
      d = pathData(this.font.getGlyph(glyphId).path.commands, this.scale)
    } catch {
      d = ''
    }
    if (this.outlines.size > OUTLINE_CACHE_LIMIT) this.outlines.clear()
    this.outlines.set(glyphId, d)
    return d
  }
}

const r1 = (v: number) => Math.round(v * 10) / 10

/**
 * fontkit commands (font units, y up) → SVG path data (em 1000, y down): the glyph outlines of
 * every draw list. The archive compares its own outlines with these strings, so both come from here.
 */
export function pathData(commands: readonly fontkit.PathCommand[], s: number): string {
  let d = ''
  for (const c of commands) {
    const a = c.args
    switch (c.command) {
      case 'moveTo':
        d += `M${r1(a[0]! * s)} ${r1(-a[1]! * s)}`
        break
      case 'lineTo':
        d += `L${r1(a[0]! * s)} ${r1(-a[1]! * s)}`
        break
      case 'quadraticCurveTo':
        d += `Q${r1(a[0]! * s)} ${r1(-a[1]! * s)} ${r1(a[2]! * s)} ${r1(-a[3]! * s)}`
        break
      case 'bezierCurveTo':
        d += `C${r1(a[0]! * s)} ${r1(-a[1]! * s)} ${r1(a[2]! * s)} ${r1(-a[3]! * s)} ${r1(a[4]! * s)} ${r1(-a[5]! * s)}`
        break
      case 'closePath':
        d += 'Z'
        break
    }
  }
  return d
}

/** Parses a font file; undefined when it is not one fontkit reads. */
export function parseFont(
  bytes: Uint8Array,
  key: string,
  source: LoadedFont['source'],
): LoadedFont | undefined {
  try {
    const parsed = fontkitLib().create(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    )
    const font = 'fonts' in parsed ? (parsed.fonts[0] as fontkit.Font | undefined) : parsed
    if (!font || !(font.numGlyphs > 0)) return undefined
    return new FontkitFont(key, source, bytes, font)
  } catch {
    return undefined
  }
}

export interface FontLibraryOptions {
  /** The app's resources folder (holding fonts/). */
  readonly resourcesDir: string
  /** Further font files tried, in order, for characters the bundled faces lack. */
  readonly extraFonts?: readonly string[]
}

export interface FontLibrary {
  /** The bundled face for a style. */
  bundled(style: BundledStyle): LoadedFont
  /** The bundled face standing in for a named font. */
  forName(name: string, serif?: boolean): LoadedFont
  /** An embedded font, parsed once per distinct file; undefined when unreadable. */
  embedded(bytes: Uint8Array): LoadedFont | undefined
  /** Where to look for a character the primary font lacks, primary excluded. */
  fallbacks(primary: LoadedFont): readonly LoadedFont[]
}

const ORDER: readonly BundledStyle[] = ['song', 'hei', 'kai', 'fang']
const EMBEDDED_CACHE_LIMIT = 64

export function createFontLibrary(options: FontLibraryOptions): FontLibrary {
  const bundled = new Map<BundledStyle, LoadedFont>()
  const embedded = new Map<string, LoadedFont | undefined>()
  let extras: LoadedFont[] | undefined

  const loadBundled = (style: BundledStyle): LoadedFont => {
    const have = bundled.get(style)
    if (have) return have
    const file = join(options.resourcesDir, 'fonts', BUNDLED_FACES[style].file)
    let bytes: Uint8Array
    try {
      bytes = readFileSync(file)
    } catch (cause) {
      throw new CounterError('OFD_FONTS_MISSING', {
        params: { file: BUNDLED_FACES[style].file },
        cause,
      })
    }
    const font = parseFont(bytes, `bundled:${style}`, 'bundled')
    if (!font)
      throw new CounterError('OFD_FONTS_MISSING', { params: { file: BUNDLED_FACES[style].file } })
    bundled.set(style, font)
    return font
  }

  const loadExtras = (): LoadedFont[] => {
    if (extras) return extras
    extras = (options.extraFonts ?? []).flatMap((file, i) => {
      try {
        const font = parseFont(readFileSync(file), `extra:${i}`, 'fallback')
        return font ? [font] : []
      } catch {
        return []
      }
    })
    return extras
  }

  return {
    bundled: loadBundled,
    forName: (name, serif = false) => loadBundled(styleForFontName(name, serif)),
    embedded(bytes) {
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24)
      if (embedded.has(hash)) return embedded.get(hash)
      if (embedded.size >= EMBEDDED_CACHE_LIMIT) embedded.delete(embedded.keys().next().value!)
      const font = parseFont(bytes, `embedded:${hash}`, 'embedded')
      embedded.set(hash, font)
      return font
    },
    fallbacks(primary) {
      return [...ORDER.map(loadBundled).filter((f) => f.key !== primary.key), ...loadExtras()]
    },
  }
}
