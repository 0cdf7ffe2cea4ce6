/**
 * Builds a licence OFD from a template: the background, decorations and fixed labels go in a
 * template page (shared, drawn beneath), the variable fields and the QR code on the page itself,
 * the licence metadata in DocInfo and a custom tag that links each field to its text objects.
 * Every font used is embedded as a subset of the face that drew it, and every character is
 * positioned explicitly (DeltaX), so any OFD reader draws the file as we do.
 */
import { randomUUID } from 'node:crypto'
import { CounterError } from '../../../shared/errors'
import { BUNDLED_FACES, type BundledStyle } from '../fonts/bundled'
import type { FontLibrary, LoadedFont } from '../fonts/library'
import { subsetFont } from '../fonts/subset'
import { sniffImage } from '../images/images'
import type { StampPlacement } from '../types'
import { encodeDeltas, layoutText, type Run } from './layout'
import { qrPng } from './qr'
import type { LicenceTemplate, TemplateDecoration } from './template'
import { el, escapeXml, num, nums, textEl, xmlDocument } from './xml-writer'
import { writeZip } from './zip-writer'

export interface LicenceContent {
  readonly template: LicenceTemplate
  /** Values of the template's fields, by key. */
  readonly fields: Readonly<Record<string, string>>
  /** The QR code's content (e.g. a verification URL or the licence identifier). */
  readonly qr?: string
  readonly docId?: string
  readonly title?: string
  /** The issuing authority. */
  readonly author?: string
  readonly creationDate?: Date
  /** Licence metadata (GB/T 36903 names: 证照标识, 证照编号 …) written to DocInfo/CustomDatas. */
  readonly metadata?: Readonly<Record<string, string>>
  /** Printed faintly across the page above everything (training files say 培训样本). */
  readonly watermark?: string
}

export interface BuildOptions {
  readonly fonts: FontLibrary
  /** DocInfo/Creator (default CounterDesk). */
  readonly creator?: string
  readonly creatorVersion?: string
}

export interface BuiltLicence {
  readonly bytes: Uint8Array
  /** Where the template puts the seal: pass it to `signOfd`. */
  readonly stamp: StampPlacement
}

const rgb = (c: readonly number[]) => c.join(' ')

class Ids {
  private n = 0
  next(): number {
    return ++this.n
  }
  get max(): number {
    return this.n
  }
}

interface FontUse {
  readonly id: number
  readonly name: string
  readonly font: LoadedFont
  readonly codePoints: Set<number>
}

function decorationXml(d: TemplateDecoration, ids: Ids): string {
  const stroke = d.stroke
  const fill = d.kind === 'line' ? undefined : d.fill
  let data: string
  if (d.kind === 'rect') {
    const [x, y, w, h] = d.box
    data = `M ${nums([x, y])} L ${nums([x + w, y])} L ${nums([x + w, y + h])} L ${nums([x, y + h])} C`
  } else if (d.kind === 'line') data = `M ${nums(d.from)} L ${nums(d.to)}`
  else data = d.data
  return el(
    'PathObject',
    {
      ID: ids.next(),
      Boundary: '0 0 0 0',
      LineWidth: d.width,
      Stroke: stroke ? 'true' : 'false',
      Fill: fill ? 'true' : undefined,
      DashPattern: d.kind === 'line' && d.dash ? nums(d.dash) : undefined,
    },
    fill && el('FillColor', { Value: rgb(fill) }),
    stroke && el('StrokeColor', { Value: rgb(stroke) }),
    textEl('AbbreviatedData', data),
  )
}

function runXml(
  run: Run,
  fontId: number,
  color: readonly number[],
  bold: boolean,
  ids: Ids,
): string {
  const top = run.y - run.size
  return el(
    'TextObject',
    {
      ID: ids.next(),
      Boundary: nums([run.x, top, run.width + run.size * 0.2, run.size * 1.3]),
      Font: fontId,
      Size: run.size,
      Weight: bold ? 700 : undefined,
    },
    el('FillColor', { Value: rgb(color) }),
    el(
      'TextCode',
      { X: 0, Y: run.size, DeltaX: run.deltas.length ? encodeDeltas(run.deltas, num) : undefined },
      escapeXml(run.text),
    ),
  )
}

/** Builds the unsigned licence file. */
export async function buildLicenceOfd(
  content: LicenceContent,
  options: BuildOptions,
): Promise<BuiltLicence> {
  const t = content.template
  const ids = new Ids()
  const fonts = new Map<string, FontUse>()
  const files = new Map<string, Uint8Array>()
  const enc = new TextEncoder()

  const fontFor = (font: LoadedFont): FontUse => {
    let use = fonts.get(font.key)
    if (!use) {
      // A bundled face is named for the font it stands in for, so a reader that ignores the
      // embedded file still picks the right style.
      const style = font.key.startsWith('bundled:')
        ? (font.key.slice(8) as BundledStyle)
        : undefined
      use = {
        id: ids.next(),
        name: style ? BUNDLED_FACES[style].ofdName : font.face,
        font,
        codePoints: new Set(),
      }
      fonts.set(font.key, use)
    }
    return use
  }
  const runsXml = (
    text: string,
    x: number,
    y: number,
    style: Parameters<typeof layoutText>[3] & {
      readonly color: readonly number[]
      readonly bold: boolean
    },
    label: string,
  ): { xml: string; objectIds: number[] } => {
    const laid = layoutText(text, x, y, style, options.fonts, label)
    const objectIds: number[] = []
    const xml = laid.runs
      .map((run) => {
        const use = fontFor(run.font)
        for (const ch of run.text) use.codePoints.add(ch.codePointAt(0)!)
        const s = runXml(run, use.id, style.color, style.bold, ids)
        objectIds.push(ids.max)
        return s
      })
      .join('')
    return { xml, objectIds }
  }

  // Media first, so their IDs are known to the pages.
  const media: string[] = []
  let backgroundId: number | undefined
  if (t.backgroundImage) {
    const format = sniffImage(t.backgroundImage)
    if (format !== 'png' && format !== 'jpeg')
      throw new CounterError('OFD_TEMPLATE_INVALID', {
        params: { template: t.id, reason: '背景图应为 PNG 或 JPEG' },
      })
    backgroundId = ids.next()
    const name = `background.${format === 'png' ? 'png' : 'jpg'}`
    files.set(`Doc_0/Res/${name}`, t.backgroundImage)
    media.push(
      el(
        'MultiMedia',
        { ID: backgroundId, Type: 'Image', Format: format.toUpperCase() },
        textEl('MediaFile', name),
      ),
    )
  }
  let qrId: number | undefined
  if (t.qr && content.qr) {
    qrId = ids.next()
    files.set('Doc_0/Res/qr.png', qrPng(content.qr))
    media.push(
      el('MultiMedia', { ID: qrId, Type: 'Image', Format: 'PNG' }, textEl('MediaFile', 'qr.png')),
    )
  }

  // The template page: background, decorations, fixed labels.
  const tplId = ids.next()
  const tplObjects: string[] = []
  if (t.background.color) {
    tplObjects.push(
      el(
        'PathObject',
        {
          ID: ids.next(),
          Boundary: nums([0, 0, t.page.width, t.page.height]),
          Stroke: 'false',
          Fill: 'true',
        },
        el('FillColor', { Value: rgb(t.background.color) }),
        textEl(
          'AbbreviatedData',
          `M 0 0 L ${num(t.page.width)} 0 L ${num(t.page.width)} ${num(t.page.height)} L 0 ${num(t.page.height)} C`,
        ),
      ),
    )
  }
  if (backgroundId !== undefined) {
    tplObjects.push(
      el('ImageObject', {
        ID: ids.next(),
        Boundary: nums([0, 0, t.page.width, t.page.height]),
        CTM: nums([t.page.width, 0, 0, t.page.height, 0, 0]),
        ResourceID: backgroundId,
      }),
    )
  }
  for (const d of t.decorations) tplObjects.push(decorationXml(d, ids))
  for (const label of t.texts) {
    tplObjects.push(
      runsXml(label.text, label.x, label.y, { ...label, maxLines: 1 }, label.text).xml,
    )
  }

  // The page: fields and the QR code.
  const pageId = ids.next()
  const pageObjects: string[] = []
  const tagged: { key: string; label: string; value: string; objectIds: number[] }[] = []
  for (const f of t.fields) {
    const value = (content.fields[f.key] ?? '').trim()
    if (!value) {
      if (f.required) throw new CounterError('OFD_FIELD_MISSING', { params: { field: f.label } })
      continue
    }
    const { xml, objectIds } = runsXml(value, f.x, f.y, f, f.label)
    pageObjects.push(xml)
    tagged.push({ key: f.key, label: f.label, value, objectIds })
  }
  const watermark: string[] = []
  if (content.watermark) {
    const size = Math.min(t.page.width, t.page.height) * 0.1
    const laid = layoutText(
      content.watermark,
      0,
      size * 0.35,
      { font: '黑体', size, spacing: size * 0.25, align: 'center', maxLines: 1 },
      options.fonts,
      '水印',
    )
    const angle = -Math.atan2(t.page.height, t.page.width)
    const m = [
      Math.cos(angle),
      Math.sin(angle),
      -Math.sin(angle),
      Math.cos(angle),
      t.page.width / 2,
      t.page.height / 2,
    ]
    for (const run of laid.runs) {
      const use = fontFor(run.font)
      for (const ch of run.text) use.codePoints.add(ch.codePointAt(0)!)
      watermark.push(
        el(
          'TextObject',
          {
            ID: ids.next(),
            Boundary: nums([0, 0, t.page.width, t.page.height]),
            CTM: nums(m),
            Font: use.id,
            Size: run.size,
            Alpha: 48,
          },
          el('FillColor', { Value: '128 128 128' }),
          el(
            'TextCode',
            {
              X: run.x,
              Y: run.y,
              DeltaX: run.deltas.length ? encodeDeltas(run.deltas, num) : undefined,
            },
            escapeXml(run.text),
          ),
        ),
      )
    }
  }
  if (qrId !== undefined && t.qr) {
    pageObjects.push(
      el('ImageObject', {
        ID: ids.next(),
        Boundary: nums([t.qr.x, t.qr.y, t.qr.size, t.qr.size]),
        CTM: nums([t.qr.size, 0, 0, t.qr.size, 0, 0]),
        ResourceID: qrId,
      }),
    )
  }

  // Fonts: a subset of each face actually used.
  const fontXml: string[] = []
  for (const use of fonts.values()) {
    const ttf = use.font.bytes[0] === 0x00 && use.font.bytes[1] === 0x01
    const file = `font_${use.id}.${ttf ? 'ttf' : 'otf'}`
    const subset = subsetFont(use.font.bytes, { codePoints: use.codePoints })
    if (!subset) throw new CounterError('OFD_FONT_CORRUPT', { params: { font: use.font.face } })
    files.set(`Doc_0/Res/${file}`, subset)
    fontXml.push(
      el(
        'Font',
        { ID: use.id, FontName: use.name, FamilyName: use.name },
        textEl('FontFile', file),
      ),
    )
  }

  const layerId = ids.next()
  const tplLayerId = ids.next()
  const now = content.creationDate ?? new Date()
  const docId = content.docId ?? randomUUID().replace(/-/g, '')
  const meta = Object.entries(content.metadata ?? {})

  files.set(
    'OFD.xml',
    enc.encode(
      xmlDocument(
        el(
          'OFD',
          { Version: '1.1', DocType: 'OFD' },
          el(
            'DocBody',
            {},
            el(
              'DocInfo',
              {},
              textEl('DocID', docId),
              textEl('Title', content.title ?? t.name),
              content.author !== undefined && textEl('Author', content.author),
              textEl('CreationDate', now.toISOString().slice(0, 10)),
              textEl('Creator', options.creator ?? 'CounterDesk'),
              options.creatorVersion !== undefined &&
                textEl('CreatorVersion', options.creatorVersion),
              meta.length > 0 &&
                el(
                  'CustomDatas',
                  {},
                  ...meta.map(([k, v]) => textEl('CustomData', v, { Name: k })),
                ),
            ),
            textEl('DocRoot', 'Doc_0/Document.xml'),
          ),
        ),
      ),
    ),
  )
  files.set(
    'Doc_0/PublicRes.xml',
    enc.encode(xmlDocument(el('Res', { BaseLoc: 'Res' }, el('Fonts', {}, ...fontXml)))),
  )
  files.set(
    'Doc_0/DocumentRes.xml',
    enc.encode(
      xmlDocument(
        el('Res', { BaseLoc: 'Res' }, media.length > 0 && el('MultiMedias', {}, ...media)),
      ),
    ),
  )
  files.set(
    'Doc_0/Tpls/Tpl_0/Content.xml',
    enc.encode(
      xmlDocument(
        el(
          'Page',
          {},
          el('Content', {}, el('Layer', { ID: tplLayerId, Type: 'Background' }, ...tplObjects)),
        ),
      ),
    ),
  )
  files.set(
    'Doc_0/Pages/Page_0/Content.xml',
    enc.encode(
      xmlDocument(
        el(
          'Page',
          {},
          el('Template', { TemplateID: tplId, ZOrder: 'Background' }),
          el(
            'Content',
            {},
            el('Layer', { ID: layerId }, ...pageObjects),
            watermark.length > 0 &&
              el('Layer', { ID: ids.next(), Type: 'Foreground' }, ...watermark),
          ),
        ),
      ),
    ),
  )
  files.set(
    'Doc_0/Tags/Licence.xml',
    enc.encode(
      xmlDocument(
        el(
          'Licence',
          { Template: t.id },
          ...tagged.map((f) =>
            el(
              'Field',
              { Key: f.key, Label: f.label },
              textEl('Value', f.value),
              ...f.objectIds.map((id) => textEl('ObjectRef', String(id), { PageRef: pageId })),
            ),
          ),
        ),
      ),
    ),
  )
  files.set(
    'Doc_0/CustomTags.xml',
    enc.encode(
      xmlDocument(
        el(
          'CustomTags',
          {},
          el(
            'CustomTag',
            { TypeID: 'counterdesk:licence', NameSpace: 'urn:counterdesk:licence:1' },
            textEl('FileLoc', 'Tags/Licence.xml'),
          ),
        ),
      ),
    ),
  )
  files.set(
    'Doc_0/Document.xml',
    enc.encode(
      xmlDocument(
        el(
          'Document',
          {},
          el(
            'CommonData',
            {},
            textEl('MaxUnitID', String(ids.max)),
            el('PageArea', {}, textEl('PhysicalBox', nums([0, 0, t.page.width, t.page.height]))),
            textEl('PublicRes', 'PublicRes.xml'),
            textEl('DocumentRes', 'DocumentRes.xml'),
            el('TemplatePage', {
              ID: tplId,
              Name: t.id,
              ZOrder: 'Background',
              BaseLoc: 'Tpls/Tpl_0/Content.xml',
            }),
          ),
          el('Pages', {}, el('Page', { ID: pageId, BaseLoc: 'Pages/Page_0/Content.xml' })),
          textEl('CustomTags', 'CustomTags.xml'),
        ),
      ),
    ),
  )

  // Deterministic order: the OFD entry point first.
  const ordered = new Map(
    [...files.entries()].sort(([a], [b]) =>
      a === 'OFD.xml' ? -1 : b === 'OFD.xml' ? 1 : a.localeCompare(b),
    ),
  )
  return {
    bytes: writeZip(ordered),
    stamp: { page: 0, boundary: [t.seal.x, t.seal.y, t.seal.width, t.seal.height] },
  }
}
