/**
 * Fonts for archive copies. The archive's own text (header, footer, watermark) is set in the
 * bundled CounterDesk Hei (Noto Sans CJK SC, SIL OFL); the licence's text is drawn with the face
 * the OFD renderer chose, when the archive has that face. A character a face lacks falls back
 * through the other bundled faces, the configured extra fonts and then the system's CJK fonts
 * (SimSun-ExtB on Windows, Noto CJK on Linux …), which is where rare name characters such as 𠮷
 * (CJK Extension B) are found: the bundled faces keep GB 2312 only, to keep the repository small.
 *
 * Bundled faces come from the OFD domain's font library, so their glyph outlines are the very
 * strings its renderer writes into draw lists; the painter compares them to know that a glyph
 * can be drawn as real text. pdfkit gets a fontkit object for each face and embeds a subset.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as fontkit from 'fontkit'
import { CounterError } from '../../shared/errors'
import {
  BUNDLED_FACES,
  createFontLibrary,
  glyphPathData,
  subsetFont,
  type BundledStyle,
  type FontLibrary,
  type LoadedFont,
  type SubsetOptions,
} from '../ofd'

/**
 * The archive's subsets: desubroutinized (pdfkit then subsets per document in well under a
 * millisecond and writes only the glyphs used) and without vertical metrics, which the painter
 * never uses.
 */
const archiveSubset = (font: Uint8Array, options: SubsetOptions) =>
  subsetFont(font, { ...options, desubroutinize: true, dropTables: ['VORG', 'vhea', 'vmtx'] })

export interface ArchiveFace {
  /** Stable in the process: `bundled:hei`, `extra:0`, `system:1`. */
  readonly key: string
  /** The family name, as a draw list's `RenderFont.face` names it. */
  readonly face: string
  readonly source: 'bundled' | 'fallback'
  /**
   * What pdfkit embeds (and subsets per document) for a character of this face: a desubroutinized
   * copy of a bundled face, or a small cut of a large fallback font. `key` changes when the cut
   * grows, so a document never sees one key with two fonts.
   */
  embeddable(codePoint: number): { readonly key: string; readonly font: fontkit.Font }
  /** The glyph for a code point; 0 when the face has none. */
  glyphId(codePoint: number): number
  /** Advance width, em = 1000. */
  advance(glyphId: number): number
  /** The outline as SVG path data (em = 1000, y down, origin on the baseline). */
  outline(glyphId: number): string
}

export interface ArchiveFontOptions {
  readonly resourcesDir: string
  /** Font files tried after the bundled faces (an office's rare-character font). */
  readonly extraFonts?: readonly string[]
  /** Also try the operating system's CJK fonts (default true). */
  readonly systemFonts?: boolean
}

/** A system font file and, for a collection, the member to use. */
interface SystemFontCandidate {
  readonly file: string
  readonly postscriptName?: string
}

/** Where common systems keep CJK fonts with wide coverage, best first. */
function systemFontCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): SystemFontCandidate[] {
  if (platform === 'win32') {
    const dir = join(env.WINDIR ?? env.SystemRoot ?? 'C:\\Windows', 'Fonts')
    return [
      { file: join(dir, 'simsun.ttc'), postscriptName: 'SimSun' },
      { file: join(dir, 'simsunb.ttf') },
      { file: join(dir, 'msyh.ttc'), postscriptName: 'MicrosoftYaHei' },
      { file: join(dir, 'simhei.ttf') },
    ]
  }
  if (platform === 'darwin') {
    return [
      { file: '/System/Library/Fonts/PingFang.ttc', postscriptName: 'PingFangSC-Regular' },
      {
        file: '/System/Library/Fonts/Supplemental/Songti.ttc',
        postscriptName: 'STSongti-SC-Regular',
      },
      { file: '/Library/Fonts/Arial Unicode.ttf' },
    ]
  }
  return [
    {
      file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      postscriptName: 'NotoSansCJKsc-Regular',
    },
    {
      file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
      postscriptName: 'NotoSerifCJKsc-Regular',
    },
    {
      file: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
      postscriptName: 'NotoSansCJKsc-Regular',
    },
    {
      file: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
      postscriptName: 'NotoSansCJKsc-Regular',
    },
    { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc' },
    { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' },
  ]
}

function parseFontkit(bytes: Uint8Array, postscriptName?: string): fontkit.Font | undefined {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const parsed = postscriptName ? fontkit.create(buffer, postscriptName) : fontkit.create(buffer)
    const font = 'fonts' in parsed ? parsed.fonts[0] : parsed
    return font && font.numGlyphs > 0 ? font : undefined
  } catch {
    return undefined
  }
}

/** The index of a collection's member by PostScript name (0 for a plain font file). */
function memberIndex(bytes: Uint8Array, postscriptName?: string): number {
  if (!postscriptName) return 0
  try {
    const parsed = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    if (!('fonts' in parsed)) return 0
    return Math.max(
      0,
      parsed.fonts.findIndex((f) => f.postscriptName === postscriptName),
    )
  } catch {
    return 0
  }
}

/** A face read from a font file with fontkit (extra and system fonts). */
class FileFace implements ArchiveFace {
  readonly source = 'fallback' as const
  private readonly cmap = new Map<number, number>()
  private readonly outlines = new Map<number, string>()
  private readonly unit: number
  private readonly wanted = new Set<number>()
  private cut: { key: string; font: fontkit.Font } | undefined

  constructor(
    readonly key: string,
    readonly fontkit: fontkit.Font,
    private readonly bytes: Uint8Array,
    private readonly faceIndex = 0,
  ) {
    this.unit = 1000 / (fontkit.unitsPerEm || 1000)
  }

  embeddable(codePoint: number): { key: string; font: fontkit.Font } {
    if (this.cut && this.wanted.has(codePoint)) return this.cut
    this.wanted.add(codePoint)
    const small = archiveSubset(this.bytes, { codePoints: this.wanted, faceIndex: this.faceIndex })
    const font = small ? parseFontkit(small) : undefined
    this.cut = font
      ? { key: `${this.key}#${this.wanted.size}`, font }
      : { key: this.key, font: this.fontkit }
    return this.cut
  }

  get face(): string {
    return this.fontkit.familyName || this.fontkit.postscriptName || this.key
  }

  glyphId(codePoint: number): number {
    let id = this.cmap.get(codePoint)
    if (id === undefined) {
      try {
        id = this.fontkit.hasGlyphForCodePoint(codePoint)
          ? this.fontkit.glyphForCodePoint(codePoint).id
          : 0
      } catch {
        id = 0
      }
      this.cmap.set(codePoint, id)
    }
    return id
  }

  advance(glyphId: number): number {
    try {
      return this.fontkit.getGlyph(glyphId).advanceWidth * this.unit
    } catch {
      return 1000
    }
  }

  outline(glyphId: number): string {
    let d = this.outlines.get(glyphId)
    if (d === undefined) {
      try {
        d = glyphPathData(this.fontkit.getGlyph(glyphId).path.commands, this.unit)
      } catch {
        d = ''
      }
      if (this.outlines.size > 20_000) this.outlines.clear()
      this.outlines.set(glyphId, d)
    }
    return d
  }
}

/** A bundled face: metrics and outlines from the OFD font library, fontkit for pdfkit. */
class BundledFace implements ArchiveFace {
  readonly source = 'bundled' as const
  private pdf: { key: string; font: fontkit.Font } | undefined
  constructor(
    readonly key: string,
    private readonly loaded: LoadedFont,
    private readonly fontkit: fontkit.Font,
  ) {}

  embeddable(): { key: string; font: fontkit.Font } {
    if (!this.pdf) {
      const bytes = this.loaded.bytes
      const cff = bytes[0] === 0x4f && bytes[1] === 0x54 && bytes[2] === 0x54 && bytes[3] === 0x4f
      const flat = cff
        ? archiveSubset(bytes, {
            glyphIds: Array.from({ length: this.fontkit.numGlyphs }, (_, i) => i),
            codePoints: this.fontkit.characterSet,
            retainGlyphIds: true,
          })
        : undefined
      const font = flat ? parseFontkit(flat) : undefined
      this.pdf = { key: this.key, font: font ?? this.fontkit }
    }
    return this.pdf
  }
  get face(): string {
    return this.loaded.face
  }
  glyphId(codePoint: number): number {
    return this.loaded.glyphId(codePoint)
  }
  advance(glyphId: number): number {
    return this.loaded.advance(glyphId)
  }
  outline(glyphId: number): string {
    return this.loaded.outline(glyphId)
  }
}

const ORDER: readonly BundledStyle[] = ['hei', 'song', 'kai', 'fang']

export interface ArchiveFonts {
  /** The OFD domain's font library the licence pages are rendered with (same bundled faces). */
  readonly library: FontLibrary
  /** The face the archive's own text is set in. */
  readonly primary: ArchiveFace
  /** The face a draw list names (`RenderFont.face`), when the archive has it. */
  byFace(face: string): ArchiveFace | undefined
  /** The first face, in fallback order starting with `preferred`, that has the character. */
  forChar(codePoint: number, preferred?: ArchiveFace): ArchiveFace | undefined
}

export function createArchiveFonts(options: ArchiveFontOptions): ArchiveFonts {
  const library = createFontLibrary({
    resourcesDir: options.resourcesDir,
    ...(options.extraFonts ? { extraFonts: options.extraFonts } : {}),
  })
  const bundled = new Map<BundledStyle, ArchiveFace>()
  const loadBundled = (style: BundledStyle): ArchiveFace => {
    let face = bundled.get(style)
    if (!face) {
      const loaded = library.bundled(style)
      const fk = parseFontkit(loaded.bytes)
      if (!fk)
        throw new CounterError('OFD_FONTS_MISSING', { params: { file: BUNDLED_FACES[style].file } })
      face = new BundledFace(`bundled:${style}`, loaded, fk)
      bundled.set(style, face)
    }
    return face
  }

  let extras: ArchiveFace[] | undefined
  const loadExtras = (): ArchiveFace[] => {
    extras ??= (options.extraFonts ?? []).flatMap((file, i) => {
      try {
        const bytes = readFileSync(file)
        const fk = parseFontkit(bytes)
        return fk ? [new FileFace(`extra:${i}`, fk, bytes)] : []
      } catch {
        return []
      }
    })
    return extras
  }

  // System fonts are large (a Noto CJK collection is tens of MB): read only when a character
  // is missing from everything else, one file at a time.
  const candidates = options.systemFonts === false ? [] : systemFontCandidates()
  const system: (ArchiveFace | null | undefined)[] = candidates.map(() => undefined)
  const systemFace = (i: number): ArchiveFace | null => {
    let face = system[i]
    if (face === undefined) {
      const c = candidates[i]!
      face = null
      try {
        if (existsSync(c.file)) {
          const bytes = readFileSync(c.file)
          const fk = parseFontkit(bytes, c.postscriptName)
          if (fk)
            face = new FileFace(`system:${i}`, fk, bytes, memberIndex(bytes, c.postscriptName))
        }
      } catch {
        face = null
      }
      system[i] = face
    }
    return face
  }

  const primary = loadBundled('hei')

  return {
    library,
    primary,
    byFace(face) {
      for (const style of ORDER) {
        if (BUNDLED_FACES[style].face === face) return loadBundled(style)
      }
      return (
        loadExtras().find((f) => f.face === face) ??
        system.find((f): f is ArchiveFace => !!f && f.face === face)
      )
    },
    forChar(codePoint, preferred) {
      if (preferred && preferred.glyphId(codePoint)) return preferred
      for (const style of ORDER) {
        const f = loadBundled(style)
        if (f !== preferred && f.glyphId(codePoint)) return f
      }
      for (const f of loadExtras()) if (f !== preferred && f.glyphId(codePoint)) return f
      for (let i = 0; i < candidates.length; i++) {
        const f = systemFace(i)
        if (f && f !== preferred && f.glyphId(codePoint)) return f
      }
      return undefined
    },
  }
}
