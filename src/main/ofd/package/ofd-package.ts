/**
 * An OFD package: the zip, its parts by OFD path, parsed XML cached per part. OFD locations are
 * either absolute from the package root (`/Doc_0/Document.xml`) or relative to the directory of
 * the part that names them; both resolve here, and neither may leave the package.
 */
import { CounterError } from '../../../shared/errors'
import type { OfdLimits } from '../types'
import { parseXml, type XmlElement } from './xml'
import { ZipArchive } from './zip'

/** The directory of a part path (`Doc_0/Pages/Page_0/Content.xml` → `Doc_0/Pages/Page_0`). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i < 0 ? '' : path.slice(0, i)
}

/** Resolves an OFD location against a directory. Throws on escaping the package root. */
export function resolveLoc(baseDir: string, loc: string): string {
  const clean = loc.trim().replace(/\\/g, '/')
  if (clean === '')
    throw new CounterError('OFD_STRUCTURE_INVALID', {
      params: { part: baseDir || '/', reason: '空的文件位置' },
    })
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(clean))
    throw new CounterError('OFD_ZIP_UNSAFE', {
      params: { reason: `外部位置 ${clean.slice(0, 60)}` },
    })
  const parts = clean.startsWith('/') ? [] : baseDir.split('/').filter(Boolean)
  for (const seg of clean.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (parts.length === 0)
        throw new CounterError('OFD_ZIP_UNSAFE', {
          params: { reason: `路径越界 ${clean.slice(0, 60)}` },
        })
      parts.pop()
    } else parts.push(seg)
  }
  return parts.join('/')
}

export class OfdPackage {
  private readonly xmlCache = new Map<string, XmlElement>()

  constructor(
    readonly zip: ZipArchive,
    readonly limits: OfdLimits,
    readonly name: string,
  ) {}

  static open(bytes: Uint8Array, limits: OfdLimits, name: string): OfdPackage {
    return new OfdPackage(ZipArchive.open(bytes, limits), limits, name)
  }

  has(path: string): boolean {
    return this.zip.has(path)
  }

  /** The stored name of a part (case may differ from the reference). */
  canonical(path: string): string | undefined {
    return this.zip.entry(path)?.name
  }

  read(path: string): Uint8Array {
    return this.zip.read(path)
  }

  xml(path: string): XmlElement {
    const key = this.zip.entry(path)?.name ?? path
    const cached = this.xmlCache.get(key)
    if (cached) return cached
    const root = parseXml(this.zip.read(key), key, this.limits)
    this.xmlCache.set(key, root)
    return root
  }

  names(): string[] {
    return this.zip.names()
  }
}
