/**
 * Font subsetting with HarfBuzz's subsetter (harfbuzzjs, compiled to WebAssembly, no imports): the
 * same engine browsers and font tools use, for TrueType and CFF outlines alike. The writer embeds
 * subsets so a licence renders the same on every reader; the bundled fonts are subsets too.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

interface HbSubsetExports {
  readonly memory: { readonly buffer: ArrayBuffer }
  malloc(size: number): number
  free(ptr: number): void
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number
  hb_blob_destroy(blob: number): void
  hb_blob_get_length(blob: number): number
  hb_blob_get_data(blob: number, length: number): number
  hb_face_create(blob: number, index: number): number
  hb_face_destroy(face: number): void
  hb_face_reference_blob(face: number): number
  hb_set_add(set: number, value: number): void
  hb_subset_input_set(input: number, which: number): number
  hb_subset_input_create_or_fail(): number
  hb_subset_input_destroy(input: number): void
  hb_subset_input_unicode_set(input: number): number
  hb_subset_input_glyph_set(input: number): number
  hb_subset_input_set_flags(input: number, flags: number): void
  hb_subset_or_fail(face: number, input: number): number
}

/** HB_SUBSET_FLAGS_NO_HINTING: hinting is for screens at small pixel sizes; it only adds bytes here. */
const NO_HINTING = 0x1
/** HB_SUBSET_FLAGS_RETAIN_GIDS: keep glyph IDs, so CGTransform glyph indexes stay valid. */
const RETAIN_GIDS = 0x2
/** HB_SUBSET_FLAGS_DESUBROUTINIZE: CFF charstrings inlined, so a later subsetter (fontkit in
 * pdfkit) copies only the glyphs it needs instead of a stub for every subroutine. */
const DESUBROUTINIZE = 0x4
const HB_MEMORY_MODE_WRITABLE = 2
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3
/**
 * Layout tables go: OFD positions every glyph itself and maps characters through cmap, and their
 * alternates (vertical forms, other locales' shapes) would nearly double a CJK subset.
 */
const DROPPED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'DSIG']

function tagValue(tag: string): number {
  return (
    ((tag.charCodeAt(0) << 24) |
      (tag.charCodeAt(1) << 16) |
      (tag.charCodeAt(2) << 8) |
      tag.charCodeAt(3)) >>>
    0
  )
}

let engine: HbSubsetExports | undefined

/** The WebAssembly global, typed for what is used here (Node's typings leave it undeclared). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown }
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

function hb(): HbSubsetExports {
  if (!engine) {
    const require = createRequire(import.meta.url)
    const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'))
    const instance = new wasmApi.Instance(new wasmApi.Module(wasm), {})
    engine = instance.exports as unknown as HbSubsetExports
  }
  return engine
}

export interface SubsetOptions {
  /** Unicode code points to keep (their glyphs, and the glyphs they compose from). */
  readonly codePoints?: Iterable<number>
  /** Glyph IDs to keep as well. */
  readonly glyphIds?: Iterable<number>
  /** Collection index for .ttc files. */
  readonly faceIndex?: number
  readonly keepHinting?: boolean
  readonly retainGlyphIds?: boolean
  readonly desubroutinize?: boolean
  /** Tables to drop besides the layout tables (e.g. vertical metrics). */
  readonly dropTables?: readonly string[]
}

/** Returns the subset font, or undefined when HarfBuzz cannot subset this font. */
export function subsetFont(font: Uint8Array, options: SubsetOptions): Uint8Array | undefined {
  const e = hb()
  const ptr = e.malloc(font.length)
  if (!ptr) return undefined
  new Uint8Array(e.memory.buffer).set(font, ptr)
  const blob = e.hb_blob_create(ptr, font.length, HB_MEMORY_MODE_WRITABLE, 0, 0)
  const face = e.hb_face_create(blob, options.faceIndex ?? 0)
  e.hb_blob_destroy(blob)
  const input = e.hb_subset_input_create_or_fail()
  try {
    if (!input) return undefined
    const unicodes = e.hb_subset_input_unicode_set(input)
    for (const cp of options.codePoints ?? []) e.hb_set_add(unicodes, cp)
    const drop = e.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
    for (const t of [...DROPPED_TABLES, ...(options.dropTables ?? [])])
      e.hb_set_add(drop, tagValue(t))
    const glyphs = e.hb_subset_input_glyph_set(input)
    for (const g of options.glyphIds ?? []) e.hb_set_add(glyphs, g)
    e.hb_subset_input_set_flags(
      input,
      (options.keepHinting ? 0 : NO_HINTING) |
        (options.retainGlyphIds ? RETAIN_GIDS : 0) |
        (options.desubroutinize ? DESUBROUTINIZE : 0),
    )
    const subset = e.hb_subset_or_fail(face, input)
    if (!subset) return undefined
    const out = e.hb_face_reference_blob(subset)
    const length = e.hb_blob_get_length(out)
    const data = e.hb_blob_get_data(out, 0)
    const bytes =
      length > 0 ? new Uint8Array(e.memory.buffer).slice(data, data + length) : undefined
    e.hb_blob_destroy(out)
    e.hb_face_destroy(subset)
    return bytes
  } finally {
    if (input) e.hb_subset_input_destroy(input)
    e.hb_face_destroy(face)
    e.free(ptr)
  }
}
