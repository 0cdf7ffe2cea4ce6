/**
 * A round official seal as a vector OFD (the seal picture GB/T 38540 allows besides PNG and BMP):
 * ring, five-pointed star, the organisation's name along the upper arc and a line of text below.
 * Vector pictures stay sharp at any zoom and cost a few kilobytes.
 */
import { CounterError } from '../../../shared/errors'
import type { FontLibrary } from '../fonts/library'
import { subsetFont } from '../fonts/subset'
import { el, escapeXml, num, nums, textEl, xmlDocument } from './xml-writer'
import { writeZip } from './zip-writer'

export interface SealPictureSpec {
  /** Along the upper arc, e.g. 郑州市市场监督管理局. */
  readonly name: string
  /** The horizontal line under the star, e.g. 电子印章 or 培训专用章. */
  readonly caption?: string
  /** Diameter in millimetres (default 42, the common size of an organisation's seal). */
  readonly size?: number
  readonly color?: readonly [number, number, number]
}

function star(cx: number, cy: number, r: number): string {
  const pts: string[] = []
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5
    const rr = i % 2 === 0 ? r : r * 0.382
    pts.push(`${i === 0 ? 'M' : 'L'} ${num(cx + rr * Math.cos(a))} ${num(cy + rr * Math.sin(a))}`)
  }
  return `${pts.join(' ')} C`
}

export function buildSealPictureOfd(spec: SealPictureSpec, fonts: FontLibrary): Uint8Array {
  const size = spec.size ?? 42
  const color = (spec.color ?? [215, 25, 32]).join(' ')
  const c = size / 2
  const font = fonts.bundled('song')
  const chars = [...spec.name]
  if (chars.length === 0)
    throw new CounterError('OFD_SEAL_INVALID', { params: { reason: '印章名称为空' } })
  const caption = spec.caption ? [...spec.caption] : []
  const codePoints = new Set([...chars, ...caption].map((ch) => ch.codePointAt(0)!))
  for (const cp of codePoints) {
    if (!font.glyphId(cp))
      throw new CounterError('OFD_GLYPH_MISSING', {
        params: { char: String.fromCodePoint(cp), field: '印章名称' },
      })
  }
  const subset = subsetFont(font.bytes, { codePoints })
  if (!subset) throw new CounterError('OFD_FONT_CORRUPT', { params: { font: font.face } })

  let id = 10
  const objects: string[] = []
  const ring = size * 0.03
  const r = c - ring / 2 - 0.3
  objects.push(
    el(
      'PathObject',
      { ID: ++id, Boundary: nums([0, 0, size, size]), LineWidth: ring },
      el('StrokeColor', { Value: color }),
      textEl(
        'AbbreviatedData',
        `M ${num(c - r)} ${num(c)} A ${num(r)} ${num(r)} 0 1 1 ${num(c + r)} ${num(c)} A ${num(r)} ${num(r)} 0 1 1 ${num(c - r)} ${num(c)} C`,
      ),
    ),
  )
  objects.push(
    el(
      'PathObject',
      { ID: ++id, Boundary: nums([0, 0, size, size]), Stroke: 'false', Fill: 'true' },
      el('FillColor', { Value: color }),
      textEl('AbbreviatedData', star(c, c, size * 0.15)),
    ),
  )
  // The name: upright characters spread over about 240° of the upper arc, reading clockwise.
  const charSize = Math.min(size * 0.13, (size * 2.4) / Math.max(chars.length, 8))
  const textRadius = r - ring - charSize * 1.05
  const span = Math.min((230 * Math.PI) / 180, chars.length * ((charSize * 1.1) / textRadius))
  chars.forEach((ch, i) => {
    const theta = chars.length === 1 ? 0 : -span / 2 + (span * i) / (chars.length - 1)
    const adv = (font.advance(font.glyphId(ch.codePointAt(0)!)) * charSize) / 1000
    const px = c + textRadius * Math.sin(theta)
    const py = c - textRadius * Math.cos(theta)
    objects.push(
      el(
        'TextObject',
        {
          ID: ++id,
          Boundary: nums([0, 0, size, size]),
          CTM: nums([Math.cos(theta), Math.sin(theta), -Math.sin(theta), Math.cos(theta), px, py]),
          Font: 1,
          Size: charSize,
          Weight: 700,
        },
        el('FillColor', { Value: color }),
        el('TextCode', { X: -adv / 2, Y: 0 }, escapeXml(ch)),
      ),
    )
  })
  if (caption.length) {
    const capSize = size * 0.09
    const widths = caption.map(
      (ch) => (font.advance(font.glyphId(ch.codePointAt(0)!)) * capSize) / 1000,
    )
    const total = widths.reduce((a, b) => a + b, 0)
    objects.push(
      el(
        'TextObject',
        { ID: ++id, Boundary: nums([0, 0, size, size]), Font: 1, Size: capSize, Weight: 700 },
        el('FillColor', { Value: color }),
        el(
          'TextCode',
          {
            X: c - total / 2,
            Y: c + size * 0.3,
            DeltaX: widths.length > 1 ? nums(widths.slice(0, -1)) : undefined,
          },
          escapeXml(caption.join('')),
        ),
      ),
    )
  }

  const enc = new TextEncoder()
  const files = new Map<string, Uint8Array>([
    [
      'OFD.xml',
      enc.encode(
        xmlDocument(
          el(
            'OFD',
            { Version: '1.1', DocType: 'OFD' },
            el(
              'DocBody',
              {},
              el('DocInfo', {}, textEl('DocID', 'seal'), textEl('Title', spec.name)),
              textEl('DocRoot', 'Doc_0/Document.xml'),
            ),
          ),
        ),
      ),
    ],
    [
      'Doc_0/Document.xml',
      enc.encode(
        xmlDocument(
          el(
            'Document',
            {},
            el(
              'CommonData',
              {},
              textEl('MaxUnitID', String(id)),
              el('PageArea', {}, textEl('PhysicalBox', nums([0, 0, size, size]))),
              textEl('PublicRes', 'PublicRes.xml'),
            ),
            el('Pages', {}, el('Page', { ID: 2, BaseLoc: 'Pages/Page_0/Content.xml' })),
          ),
        ),
      ),
    ],
    [
      'Doc_0/PublicRes.xml',
      enc.encode(
        xmlDocument(
          el(
            'Res',
            { BaseLoc: 'Res' },
            el(
              'Fonts',
              {},
              el(
                'Font',
                { ID: 1, FontName: '宋体', FamilyName: '宋体' },
                textEl('FontFile', 'font_1.otf'),
              ),
            ),
          ),
        ),
      ),
    ],
    ['Doc_0/Res/font_1.otf', subset],
    [
      'Doc_0/Pages/Page_0/Content.xml',
      enc.encode(
        xmlDocument(el('Page', {}, el('Content', {}, el('Layer', { ID: 3 }, ...objects)))),
      ),
    ],
  ])
  return writeZip(files)
}
