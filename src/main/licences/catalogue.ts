/**
 * The matter catalogue (事项目录): which licence types each matter may look at, and its reason of
 * use. It comes from a local file (signed, in production), from the library, or from an
 * administrator's edit, and is kept in the database so that a field office keeps working with the
 * last good catalogue when neither can be read.
 */
import { readFileSync } from 'node:fs'
import { CounterError } from '../../shared/errors'
import {
  MatterCatalogueSchema,
  SignedCatalogueSchema,
  type CatalogueInfo,
  type LicenceType,
  type Matter,
  type MatterCatalogue,
  type SignedCatalogue,
} from '../../shared/domain'
import { sm2Sign, sm2Verify, type Sm2KeyPair } from '../crypto'
import { loadStoredCatalogue, saveCatalogue, type Db } from '../db'
import type { Logger } from '../log'

export interface CatalogueService {
  readonly version: string
  matters(): readonly Matter[]
  matter(code: string): Matter | undefined
  licenceType(code: string): LicenceType | undefined
  /** The whole catalogue in force. */
  catalogue(): MatterCatalogue
  /** Where it came from. */
  info(): CatalogueInfo
  /** Puts another catalogue in force (administrators, or a reload from the library). */
  replace(catalogue: MatterCatalogue, provenance: CatalogueProvenance): void
}

export type CatalogueProvenance = Omit<CatalogueInfo, 'version' | 'matterCount' | 'typeCount'>

/** Parses and cross-checks a catalogue: every matter's types must be defined, codes unique. */
export function parseCatalogue(json: unknown): MatterCatalogue {
  const parsed = MatterCatalogueSchema.safeParse(json)
  if (!parsed.success) {
    const i = parsed.error.issues[0]!
    throw new CounterError('CATALOGUE_INVALID', {
      params: { problem: `${i.path.join('.')}: ${i.message}` },
    })
  }
  const c = parsed.data
  const types = new Set<string>()
  for (const t of c.licenceTypes) {
    if (types.has(t.code))
      throw new CounterError('CATALOGUE_INVALID', {
        params: { problem: `重复的证照类型编码 ${t.code}` },
      })
    types.add(t.code)
  }
  const seen = new Set<string>()
  for (const m of c.matters) {
    if (seen.has(m.code))
      throw new CounterError('CATALOGUE_INVALID', {
        params: { problem: `重复的事项编码 ${m.code}` },
      })
    seen.add(m.code)
    if (!m.reasonOfUse.trim())
      throw new CounterError('CATALOGUE_INVALID', {
        params: { problem: `事项 ${m.code} 缺少用证事由` },
      })
    for (const t of [...m.requiredTypes, ...m.optionalTypes]) {
      if (!types.has(t))
        throw new CounterError('CATALOGUE_INVALID', {
          params: { problem: `事项 ${m.code} 引用了未定义的证照类型 ${t}` },
        })
    }
  }
  return c
}

/** JSON with object keys sorted at every level and no whitespace: what signatures cover. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const unhex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))

/** Signs a catalogue with an administration's SM2 key (the `licence catalogue sign` command). */
export function signCatalogue(
  catalogue: MatterCatalogue,
  keys: Sm2KeyPair,
  signer: string,
  now = new Date(),
): SignedCatalogue {
  const message = new TextEncoder().encode(canonicalJson(catalogue))
  return {
    catalogue,
    signature: {
      algorithm: 'SM2-SM3',
      signer,
      publicKey: hex(keys.publicKey),
      value: hex(sm2Sign(message, keys)),
      signedAt: now.toISOString(),
    },
  }
}

/** Checks a signed catalogue: a trusted key, and a signature over the canonical catalogue. */
export function verifySignedCatalogue(
  signed: SignedCatalogue,
  trustedKeys: readonly string[],
): MatterCatalogue {
  const key = signed.signature.publicKey.toLowerCase()
  if (!trustedKeys.some((k) => k.toLowerCase() === key))
    throw new CounterError('CATALOGUE_UNTRUSTED_SIGNER', {
      params: { signer: signed.signature.signer },
    })
  const catalogue = parseCatalogue(signed.catalogue)
  const message = new TextEncoder().encode(canonicalJson(catalogue))
  if (!sm2Verify(message, unhex(signed.signature.value), unhex(key)))
    throw new CounterError('CATALOGUE_SIGNATURE_INVALID')
  return catalogue
}

export interface CatalogueFileOptions {
  readonly requireSignature: boolean
  readonly trustedKeys: readonly string[]
}

/** A catalogue file's text; a file that cannot be read is a catalogue error naming it. */
export function readCatalogueFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new CounterError('CATALOGUE_INVALID', {
      params: { problem: `无法读取文件 ${file}` },
      cause,
    })
  }
}

/** A catalogue file's text: signed (`{catalogue, signature}`) or, where allowed, a bare catalogue. */
export function parseCatalogueText(
  text: string,
  options: CatalogueFileOptions,
): { catalogue: MatterCatalogue; signer?: string } {
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    throw new CounterError('CATALOGUE_INVALID', { params: { problem: '不是有效的 JSON' } })
  }
  if (json && typeof json === 'object' && 'signature' in json) {
    const signed = SignedCatalogueSchema.safeParse(json)
    if (!signed.success) {
      const i = signed.error.issues[0]!
      throw new CounterError('CATALOGUE_INVALID', {
        params: { problem: `${i.path.join('.')}: ${i.message}` },
      })
    }
    return {
      catalogue: verifySignedCatalogue(signed.data, options.trustedKeys),
      signer: signed.data.signature.signer,
    }
  }
  if (options.requireSignature) throw new CounterError('CATALOGUE_UNSIGNED')
  return { catalogue: parseCatalogue(json) }
}

type Provenance = CatalogueProvenance

/** The catalogue in force. It can be replaced while the app runs; readers always see one whole catalogue. */
export class ActiveCatalogue implements CatalogueService {
  private current: MatterCatalogue
  private byMatter: Map<string, Matter>
  private byType: Map<string, LicenceType>
  private provenance: Provenance

  constructor(catalogue: MatterCatalogue, provenance: Provenance) {
    this.current = catalogue
    this.byMatter = new Map(catalogue.matters.map((m) => [m.code, m]))
    this.byType = new Map(catalogue.licenceTypes.map((t) => [t.code, t]))
    this.provenance = provenance
  }

  get version(): string {
    return this.current.version
  }
  matters(): readonly Matter[] {
    return this.current.matters
  }
  matter(code: string): Matter | undefined {
    return this.byMatter.get(code)
  }
  licenceType(code: string): LicenceType | undefined {
    return this.byType.get(code)
  }
  catalogue(): MatterCatalogue {
    return this.current
  }
  info(): CatalogueInfo {
    return {
      version: this.current.version,
      ...this.provenance,
      matterCount: this.current.matters.length,
      typeCount: this.current.licenceTypes.length,
    }
  }

  replace(catalogue: MatterCatalogue, provenance: Provenance): void {
    this.current = catalogue
    this.byMatter = new Map(catalogue.matters.map((m) => [m.code, m]))
    this.byType = new Map(catalogue.licenceTypes.map((t) => [t.code, t]))
    this.provenance = provenance
  }
}

function encodeSource(p: Provenance): string {
  return JSON.stringify(p)
}

function decodeSource(source: string, loadedAt: string): Provenance {
  try {
    const p = JSON.parse(source) as Provenance
    if (p && typeof p === 'object' && typeof p.source === 'string')
      return { ...p, source: p.source }
  } catch {
    // The foundation stored the bare file path.
  }
  return { source: 'file', origin: source, loadedAt }
}

/** Keeps a catalogue as the last good copy, with where it came from. */
export function storeCatalogue(db: Db, catalogue: MatterCatalogue, p: Provenance): void {
  saveCatalogue(db, {
    version: catalogue.version,
    source: encodeSource(p),
    body: JSON.stringify(catalogue),
    loadedAt: p.loadedAt,
  })
}

/** Dot- or dash-separated identifiers: numbers by value and before words, words by text. */
function compareIdentifiers(a: string, b: string): number {
  const xs = a.split(/[.-]/)
  const ys = b.split(/[.-]/)
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i]!
    const y = ys[i]!
    const xn = /^\d+$/.test(x)
    const yn = /^\d+$/.test(y)
    const d = xn && yn ? Number(x) - Number(y) : xn ? -1 : yn ? 1 : x < y ? -1 : x > y ? 1 : 0
    if (d !== 0) return Math.sign(d)
  }
  return Math.sign(xs.length - ys.length)
}

/**
 * Orders catalogue versions by meaning, not as text: `2026.10` is newer than `2026.9`. The
 * leading numbers count by value; then, as in semantic versioning, a labelled version
 * (`2026.12-rc1`) comes before the bare one; last, an administrator's edit
 * (`<version>+edit.<time>`) is newer than the version it was made from, and later edits newer
 * than earlier ones.
 */
export function compareCatalogueVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const plus = v.indexOf('+')
    const main = plus < 0 ? v : v.slice(0, plus)
    const build = plus < 0 ? '' : v.slice(plus + 1)
    const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(main.trim())
    return {
      numbers: m ? m[1]!.split('.').map(Number) : [],
      label: (m ? m[2]! : main).replace(/^[-.]/, ''),
      build,
    }
  }
  const x = parse(a)
  const y = parse(b)
  for (let i = 0; i < Math.max(x.numbers.length, y.numbers.length); i++) {
    const d = (x.numbers[i] ?? 0) - (y.numbers[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  if (x.label !== y.label) {
    if (!x.label) return 1
    if (!y.label) return -1
    const d = compareIdentifiers(x.label, y.label)
    if (d !== 0) return d
  }
  if (x.build !== y.build) {
    if (!x.build) return -1
    if (!y.build) return 1
    return compareIdentifiers(x.build, y.build)
  }
  return 0
}

export interface LoadCatalogueOptions extends CatalogueFileOptions {
  readonly file: string
  readonly db: Db
  readonly logger: Logger
}

/**
 * The catalogue at start: the configured (or bundled) file — unless an administrator or the
 * library has since provided a version the file does not supersede — else the stored copy.
 */
export function loadCatalogue(options: LoadCatalogueOptions): ActiveCatalogue {
  const { file, db, logger } = options
  const stored = loadStoredCatalogue(db)
  const storedProvenance = stored ? decodeSource(stored.source, stored.loadedAt) : undefined
  try {
    const { catalogue, signer } = parseCatalogueText(readCatalogueFile(file), options)
    const administered =
      storedProvenance && ['edited', 'library', 'signed-file'].includes(storedProvenance.source)
    if (
      stored &&
      storedProvenance &&
      administered &&
      compareCatalogueVersions(catalogue.version, stored.version) <= 0
    ) {
      return new ActiveCatalogue(parseCatalogue(JSON.parse(stored.body)), {
        ...storedProvenance,
        source: storedProvenance.source,
      })
    }
    const provenance: Provenance = {
      source: signer ? 'signed-file' : 'file',
      origin: file,
      loadedAt: new Date().toISOString(),
      ...(signer ? { signer } : {}),
    }
    storeCatalogue(db, catalogue, provenance)
    return new ActiveCatalogue(catalogue, provenance)
  } catch (error) {
    if (!stored)
      throw error instanceof CounterError
        ? error
        : new CounterError('CATALOGUE_INVALID', { params: { problem: String(error) } })
    logger.warn('catalogue file unusable, using the stored copy', {
      file,
      version: stored.version,
      error,
    })
    return new ActiveCatalogue(parseCatalogue(JSON.parse(stored.body)), {
      ...storedProvenance!,
      source: 'stored',
    })
  }
}
