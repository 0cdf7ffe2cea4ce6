/**
 * The reader: OFD.xml → DocBody → Document.xml → pages, templates, resources, annotations, custom
 * tags, attachments and signatures. Opening parses only the document's skeleton; pages and
 * everything else are parsed when first asked for, then cached.
 */
import { CounterError, isCounterError } from '../../shared/errors'
import type {
  Annotation,
  Attachment,
  CustomTag,
  DocInfo,
  Layer,
  Page,
  PageArea,
  PageRef,
  Resources,
  SignatureEntry,
  SignatureFile,
  SignatureList,
  TemplatePageRef,
} from './model'
import { dirOf, OfdPackage, resolveLoc } from './package/ofd-package'
import { child, childrenNamed, childText, type XmlElement } from './package/xml'
import { guarded, parseObjects, type ObjectContext } from './parse/objects'
import { emptyResources, mergeResources, parseResourceFile } from './parse/resources'
import { invalid, parseBool, parseBox } from './parse/values'
import { DEFAULT_LIMITS, type OfdLimits, type OpenOptions } from './types'

function parseArea(el: XmlElement | undefined, part: string): PageArea | undefined {
  if (!el) return undefined
  const box = (name: string) => {
    const t = childText(el, name)
    return t ? parseBox(t) : undefined
  }
  const physicalBox = box('PhysicalBox')
  if (!physicalBox) return undefined
  if (
    physicalBox[2] <= 0 ||
    physicalBox[3] <= 0 ||
    physicalBox[2] > 10_000 ||
    physicalBox[3] > 10_000
  )
    throw invalid(part, '页面尺寸无效')
  const applicationBox = box('ApplicationBox')
  const contentBox = box('ContentBox')
  const bleedBox = box('BleedBox')
  return {
    physicalBox,
    ...(applicationBox ? { applicationBox } : {}),
    ...(contentBox ? { contentBox } : {}),
    ...(bleedBox ? { bleedBox } : {}),
  }
}

function parseDocInfo(el: XmlElement | undefined): DocInfo {
  const text = (name: string) => (el ? childText(el, name) || undefined : undefined)
  const customData: Record<string, string> = {}
  const custom = el && child(el, 'CustomDatas')
  for (const d of custom ? childrenNamed(custom, 'CustomData') : []) {
    const name = d.attrs.Name?.trim()
    if (name && Object.keys(customData).length < 1000) customData[name] = d.text.trim()
  }
  const keywords = el && child(el, 'Keywords')
  const info: Record<string, string | undefined> = {
    docId: text('DocID'),
    title: text('Title'),
    author: text('Author'),
    subject: text('Subject'),
    abstract: text('Abstract'),
    creationDate: text('CreationDate'),
    modDate: text('ModDate'),
    docUsage: text('DocUsage'),
    creator: text('Creator'),
    creatorVersion: text('CreatorVersion'),
  }
  return {
    ...(Object.fromEntries(
      Object.entries(info).filter(([, v]) => v !== undefined),
    ) as Partial<DocInfo>),
    keywords: keywords ? childrenNamed(keywords, 'Keyword').map((k) => k.text.trim()) : [],
    customData,
  }
}

export class OfdDocument {
  readonly info: DocInfo
  readonly docRoot: string
  readonly signaturesPath: string | undefined
  readonly pageArea: PageArea
  readonly pageRefs: readonly PageRef[]
  readonly templateRefs: ReadonlyMap<string, TemplatePageRef>
  /** Public and document resources, merged (document ones win). */
  readonly resources: Resources
  readonly maxUnitId: number | undefined
  /** PublicRes and DocumentRes files. */
  readonly resourceFiles: readonly string[]
  private readonly documentXml: XmlElement
  private readonly pageCache = new Map<string, Page>()

  private constructor(
    readonly pkg: OfdPackage,
    readonly limits: OfdLimits,
    readonly name: string,
  ) {
    if (!pkg.has('OFD.xml'))
      throw new CounterError('OFD_PART_MISSING', { params: { part: 'OFD.xml' } })
    const ofd = pkg.xml('OFD.xml')
    if (ofd.name !== 'OFD') throw invalid('OFD.xml', `根元素应为 OFD，而非 ${ofd.name}`)
    const body = childrenNamed(ofd, 'DocBody')[0]
    if (!body) throw new CounterError('OFD_PART_MISSING', { params: { part: 'OFD.xml DocBody' } })
    this.info = guarded('OFD.xml', () => parseDocInfo(child(body, 'DocInfo')))
    const docRoot = childText(body, 'DocRoot')
    if (!docRoot) throw new CounterError('OFD_PART_MISSING', { params: { part: 'DocRoot' } })
    this.docRoot = resolveLoc('', docRoot)
    if (!pkg.has(this.docRoot))
      throw new CounterError('OFD_PART_MISSING', { params: { part: this.docRoot } })
    this.docRoot = pkg.canonical(this.docRoot) ?? this.docRoot
    const sigs = childText(body, 'Signatures')
    this.signaturesPath = sigs ? resolveLoc('', sigs) : undefined

    const doc = pkg.xml(this.docRoot)
    this.documentXml = doc
    if (doc.name !== 'Document')
      throw invalid(this.docRoot, `根元素应为 Document，而非 ${doc.name}`)
    const docDir = dirOf(this.docRoot)
    const common = child(doc, 'CommonData')
    if (!common)
      throw new CounterError('OFD_PART_MISSING', { params: { part: `${this.docRoot} CommonData` } })
    const area = guarded(this.docRoot, () => parseArea(child(common, 'PageArea'), this.docRoot))
    this.pageArea = area ?? { physicalBox: [0, 0, 210, 297] }
    const maxUnit = childText(common, 'MaxUnitID')
    this.maxUnitId = maxUnit && /^\d{1,9}$/.test(maxUnit) ? Number(maxUnit) : undefined

    const objects: ObjectContext = {
      part: this.docRoot,
      maxObjects: limits.maxObjectsPerPage,
      count: 0,
    }
    const resourceFiles: string[] = []
    const publicRes = emptyResources()
    for (const r of childrenNamed(common, 'PublicRes')) {
      const path = resolveLoc(docDir, r.text)
      if (!pkg.has(path)) continue
      parseResourceFile(pkg, path, publicRes, { ...objects, part: path, count: 0 })
      resourceFiles.push(path)
    }
    const documentRes = emptyResources()
    for (const r of childrenNamed(common, 'DocumentRes')) {
      const path = resolveLoc(docDir, r.text)
      if (!pkg.has(path)) continue
      parseResourceFile(pkg, path, documentRes, { ...objects, part: path, count: 0 })
      resourceFiles.push(path)
    }
    this.resourceFiles = resourceFiles
    this.resources = mergeResources(publicRes, documentRes)

    const templates = new Map<string, TemplatePageRef>()
    for (const t of childrenNamed(common, 'TemplatePage')) {
      const id = t.attrs.ID?.trim()
      const loc = t.attrs.BaseLoc
      if (!id || !loc) continue
      templates.set(id, {
        id,
        ...(t.attrs.Name ? { name: t.attrs.Name } : {}),
        zOrder: t.attrs.ZOrder === 'Foreground' ? 'Foreground' : 'Background',
        baseLoc: resolveLoc(docDir, loc),
      })
    }
    this.templateRefs = templates

    const pages = child(doc, 'Pages')
    const refs = pages ? childrenNamed(pages, 'Page') : []
    if (refs.length > limits.maxPages)
      throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `页数 ${refs.length}` } })
    this.pageRefs = refs.map((p, i) => {
      const loc = p.attrs.BaseLoc
      if (!loc) throw invalid(this.docRoot, `第 ${i + 1} 页缺少 BaseLoc`)
      return { id: (p.attrs.ID ?? String(i)).trim(), baseLoc: resolveLoc(docDir, loc) }
    })
  }

  static open(bytes: Uint8Array, options: OpenOptions = {}): OfdDocument {
    const limits = { ...DEFAULT_LIMITS, ...options.limits }
    const name = options.name ?? 'document.ofd'
    return new OfdDocument(OfdPackage.open(bytes, limits, name), limits, name)
  }

  get pageCount(): number {
    return this.pageRefs.length
  }

  /** The page's physical box: its own Area if it has one, else the document's. */
  pageBox(index: number): PageArea {
    return this.page(index).area ?? this.pageArea
  }

  page(index: number): Page {
    const ref = this.pageRefs[index]
    if (!ref)
      throw new CounterError('OFD_PAGE_OUT_OF_RANGE', {
        params: { page: index + 1, count: this.pageRefs.length },
      })
    return this.loadPage(ref.baseLoc, ref.id, index)
  }

  /** A template page by its ID, or undefined when the document has none such. */
  templatePage(id: string): Page | undefined {
    const ref = this.templateRefs.get(id)
    if (!ref || !this.pkg.has(ref.baseLoc)) return undefined
    return this.loadPage(ref.baseLoc, id, -1)
  }

  private loadPage(path: string, id: string, index: number): Page {
    const cached = this.pageCache.get(path)
    if (cached) return index < 0 || cached.index === index ? cached : { ...cached, index, id }
    if (!this.pkg.has(path)) throw new CounterError('OFD_PART_MISSING', { params: { part: path } })
    const root = this.pkg.xml(path)
    const ctx: ObjectContext = { part: path, maxObjects: this.limits.maxObjectsPerPage, count: 0 }
    const page = guarded(path, (): Page => {
      const dir = dirOf(path)
      const pageRes = emptyResources()
      const resourceFiles: string[] = []
      for (const r of childrenNamed(root, 'PageRes')) {
        const resPath = resolveLoc(dir, r.text)
        if (!this.pkg.has(resPath)) continue
        parseResourceFile(this.pkg, resPath, pageRes, { ...ctx, part: resPath, count: 0 })
        resourceFiles.push(resPath)
      }
      const content = child(root, 'Content')
      const layers: Layer[] = (content ? childrenNamed(content, 'Layer') : []).map((l) => {
        const t = l.attrs.Type
        return {
          ...(l.attrs.ID ? { id: l.attrs.ID } : {}),
          type: t === 'Background' || t === 'Foreground' || t === 'Custom' ? t : 'Body',
          ...(l.attrs.DrawParam ? { drawParam: l.attrs.DrawParam.trim() } : {}),
          objects: parseObjects(l, ctx),
        }
      })
      const area = parseArea(child(root, 'Area'), path)
      return {
        id,
        index,
        path,
        ...(area ? { area } : {}),
        templates: childrenNamed(root, 'Template').flatMap((t) => {
          const templateId = t.attrs.TemplateID?.trim()
          if (!templateId) return []
          const z = t.attrs.ZOrder
          return [
            {
              templateId,
              ...(z === 'Foreground' || z === 'Background' ? { zOrder: z } : {}),
            },
          ]
        }),
        resources: pageRes,
        resourceFiles,
        layers,
        objectCount: ctx.count,
      }
    })
    this.pageCache.set(path, page)
    return page
  }

  /** Resources a page sees: public, document, then its own. */
  resourcesFor(page: Page): Resources {
    return page.resources.fonts.size +
      page.resources.media.size +
      page.resources.drawParams.size +
      page.resources.colorSpaces.size +
      page.resources.compositeUnits.size ===
      0
      ? this.resources
      : mergeResources(this.resources, page.resources)
  }

  /** The annotations of a page (Annotations.xml → the page's annotation file). */
  annotations(index: number): Annotation[] {
    const pageId = this.page(index).id
    const loc = childText(this.documentXml, 'Annotations')
    if (!loc) return []
    const listPath = resolveLoc(dirOf(this.docRoot), loc)
    if (!this.pkg.has(listPath)) return []
    const list = this.pkg.xml(listPath)
    const out: Annotation[] = []
    for (const p of childrenNamed(list, 'Page')) {
      if (p.attrs.PageID?.trim() !== pageId) continue
      const fileLoc = childText(p, 'FileLoc')
      if (!fileLoc) continue
      const path = resolveLoc(dirOf(listPath), fileLoc)
      if (!this.pkg.has(path)) continue
      const ctx: ObjectContext = { part: path, maxObjects: this.limits.maxObjectsPerPage, count: 0 }
      guarded(path, () => {
        for (const a of childrenNamed(this.pkg.xml(path), 'Annot')) {
          const params: Record<string, string> = {}
          const ps = child(a, 'Parameters')
          for (const pe of ps ? childrenNamed(ps, 'Parameter') : []) {
            if (pe.attrs.Name) params[pe.attrs.Name] = pe.text.trim()
          }
          const app = child(a, 'Appearance')
          const remark = childText(a, 'Remark')
          out.push({
            id: (a.attrs.ID ?? '').trim(),
            type: a.attrs.Type ?? 'Path',
            ...(a.attrs.Subtype ? { subtype: a.attrs.Subtype } : {}),
            ...(a.attrs.Creator ? { creator: a.attrs.Creator } : {}),
            ...(a.attrs.LastModDate ? { lastModDate: a.attrs.LastModDate } : {}),
            visible: parseBool(a.attrs.Visible, true),
            print: parseBool(a.attrs.Print, true),
            ...(remark ? { remark } : {}),
            parameters: params,
            ...(app
              ? {
                  appearance: {
                    boundary: parseBox(app.attrs.Boundary ?? '0 0 0 0'),
                    objects: parseObjects(app, ctx),
                  },
                }
              : {}),
          })
        }
      })
    }
    return out
  }

  /** Custom tags (CustomTags.xml) with their tag files parsed when present. */
  customTags(): CustomTag[] {
    const loc = childText(this.documentXml, 'CustomTags')
    if (!loc) return []
    const path = resolveLoc(dirOf(this.docRoot), loc)
    if (!this.pkg.has(path)) return []
    return childrenNamed(this.pkg.xml(path), 'CustomTag').map((t) => {
      const fileLoc = childText(t, 'FileLoc')
      const file = fileLoc ? resolveLoc(dirOf(path), fileLoc) : undefined
      const root = file && this.pkg.has(file) ? this.pkg.xml(file) : undefined
      return {
        ...(t.attrs.TypeID ? { typeId: t.attrs.TypeID } : {}),
        ...(t.attrs.NameSpace ? { nameSpace: t.attrs.NameSpace } : {}),
        ...(file ? { file } : {}),
        ...(root ? { root } : {}),
      }
    })
  }

  attachments(): Attachment[] {
    const loc = childText(this.documentXml, 'Attachments')
    if (!loc) return []
    const path = resolveLoc(dirOf(this.docRoot), loc)
    if (!this.pkg.has(path)) return []
    return childrenNamed(this.pkg.xml(path), 'Attachment').flatMap((a) => {
      const fileLoc = childText(a, 'FileLoc')
      if (!fileLoc) return []
      const size = a.attrs.Size !== undefined ? Number(a.attrs.Size) : undefined
      return [
        {
          id: (a.attrs.ID ?? '').trim(),
          name: a.attrs.Name ?? '',
          ...(a.attrs.Format ? { format: a.attrs.Format } : {}),
          ...(a.attrs.CreationDate ? { creationDate: a.attrs.CreationDate } : {}),
          ...(size !== undefined && Number.isFinite(size) ? { size } : {}),
          file: resolveLoc(dirOf(path), fileLoc),
        },
      ]
    })
  }

  /**
   * Signatures.xml as OFD.xml names it, entries in document order (the signing order). A list
   * that OFD.xml names but that is missing or does not parse is a `problem`, not an empty list:
   * the document says it was signed, and "no signatures" would hide that its seals were removed
   * or damaged. An entry without a BaseLoc is kept (its location empty) so it gets a result too.
   */
  signatureList(): SignatureList {
    const part = this.signaturesPath
    if (!part) return { entries: [] }
    if (!this.pkg.has(part)) return { entries: [], problem: { kind: 'missing', part } }
    let root: XmlElement
    try {
      root = this.pkg.xml(part)
    } catch (error) {
      if (
        !isCounterError(error) ||
        error.code === 'OFD_ZIP_UNSAFE' ||
        error.code === 'OFD_LIMIT_EXCEEDED'
      )
        throw error
      return { entries: [], problem: { kind: 'malformed', part, reason: error.message } }
    }
    if (root.name !== 'Signatures')
      return {
        entries: [],
        problem: { kind: 'malformed', part, reason: `根元素应为 Signatures，而非 ${root.name}` },
      }
    const entries = childrenNamed(root, 'Signature').map((s, i): SignatureEntry => ({
      id: (s.attrs.ID ?? String(i + 1)).trim(),
      type: s.attrs.Type === 'Sign' ? 'Sign' : 'Seal',
      baseLoc: s.attrs.BaseLoc?.trim() ? resolveLoc(dirOf(part), s.attrs.BaseLoc) : '',
    }))
    return { entries }
  }

  /** The entries of Signatures.xml (none when the list is missing or malformed: see signatureList). */
  signatureEntries(): readonly SignatureEntry[] {
    return this.signatureList().entries
  }

  /** Reads one Signature.xml. */
  signatureFile(entry: SignatureEntry): SignatureFile {
    const path = entry.baseLoc
    if (!this.pkg.has(path)) throw new CounterError('OFD_PART_MISSING', { params: { part: path } })
    const root = this.pkg.xml(path)
    return guarded(path, () => {
      const info = child(root, 'SignedInfo')
      if (!info) throw invalid(path, '缺少 SignedInfo')
      const provider = child(info, 'Provider')
      const refs = child(info, 'References')
      const dir = dirOf(path)
      const signedValue = childText(root, 'SignedValue')
      const seal = child(info, 'Seal')
      const sealLoc = seal && childText(seal, 'BaseLoc')
      return {
        path,
        ...(provider
          ? {
              provider: {
                ...(provider.attrs.ProviderName ? { name: provider.attrs.ProviderName } : {}),
                ...(provider.attrs.Version ? { version: provider.attrs.Version } : {}),
                ...(provider.attrs.Company ? { company: provider.attrs.Company } : {}),
              },
            }
          : {}),
        ...(childText(info, 'SignatureMethod')
          ? { signatureMethod: childText(info, 'SignatureMethod') }
          : {}),
        ...(childText(info, 'SignatureDateTime')
          ? { signatureDateTime: childText(info, 'SignatureDateTime') }
          : {}),
        ...(refs?.attrs.CheckMethod ? { checkMethod: refs.attrs.CheckMethod.trim() } : {}),
        references: (refs ? childrenNamed(refs, 'Reference') : []).map((r) => ({
          fileRef: resolveLoc('', r.attrs.FileRef ?? ''),
          checkValue: childText(r, 'CheckValue') ?? '',
        })),
        stamps: childrenNamed(info, 'StampAnnot').map((s) => ({
          pageRef: (s.attrs.PageRef ?? '').trim(),
          boundary: parseBox(s.attrs.Boundary ?? '0 0 0 0'),
          ...(s.attrs.ID ? { id: s.attrs.ID } : {}),
          ...(s.attrs.Clip ? { clip: parseBox(s.attrs.Clip) } : {}),
        })),
        ...(signedValue ? { signedValue: resolveLoc(dir, signedValue) } : {}),
        ...(sealLoc ? { seal: resolveLoc(dir, sealLoc) } : {}),
      }
    })
  }

  /**
   * Every package file the document draws from: Document.xml, resource files, pages, templates,
   * fonts, images and annotations (canonical names). Seal verification requires each signature
   * to protect all of them.
   */
  drawnFiles(): string[] {
    const out = new Set<string>([this.docRoot, ...this.resourceFiles])
    const addResources = (r: Resources) => {
      for (const f of r.fonts.values()) if (f.fontFile) out.add(f.fontFile)
      for (const m of r.media.values()) out.add(m.file)
    }
    addResources(this.resources)
    // A part that no longer parses is still a part the document draws: list it, let the
    // reference check report it.
    const tolerant = (path: string, load: () => Page | undefined): Page | undefined => {
      out.add(path)
      try {
        return load()
      } catch (error) {
        if (
          !isCounterError(error) ||
          error.code === 'OFD_ZIP_UNSAFE' ||
          error.code === 'OFD_LIMIT_EXCEEDED'
        )
          throw error
        return undefined
      }
    }
    const pages: Page[] = []
    this.pageRefs.forEach((ref, i) => {
      const p = tolerant(ref.baseLoc, () => this.page(i))
      if (p) pages.push(p)
    })
    for (const [id, ref] of this.templateRefs) {
      const t = tolerant(ref.baseLoc, () => this.templatePage(id))
      if (t) pages.push(t)
    }
    for (const p of pages) {
      out.add(p.path)
      for (const f of p.resourceFiles) out.add(f)
      addResources(p.resources)
    }
    const annotations = childText(this.documentXml, 'Annotations')
    if (annotations) {
      const listPath = resolveLoc(dirOf(this.docRoot), annotations)
      out.add(listPath)
      let list: XmlElement | undefined
      try {
        list = this.pkg.has(listPath) ? this.pkg.xml(listPath) : undefined
      } catch (error) {
        if (!isCounterError(error) || error.code === 'OFD_ZIP_UNSAFE') throw error
      }
      for (const p of list ? childrenNamed(list, 'Page') : []) {
        const loc = childText(p, 'FileLoc')
        if (loc) out.add(resolveLoc(dirOf(listPath), loc))
      }
    }
    return [...out].map((f) => this.pkg.canonical(f) ?? f)
  }

  /** The index of the page with this ID, or -1. */
  pageIndexById(id: string): number {
    return this.pageRefs.findIndex((p) => p.id === id)
  }
}
