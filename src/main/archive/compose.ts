/**
 * Lays out archive pages: each licence page scaled into the paper's content area, under an
 * archive header (archive number, business, matter, source identifier, the verification at print
 * time) and above a footer (QR code with its validity in words and the fingerprint of the key
 * that signed it, who printed it and when, page x / y),
 * with the 存档副本 watermark drawn over the licence. The result is a draw list per paper page,
 * so pdfkit, a canvas and the in-app SVG preview all paint the same thing.
 */
import type {
  ArchiveVerification,
  DrawOp,
  GroupOp,
  Matrix,
  Orientation,
  Paper,
  RenderPage,
  Rgba,
} from '../../shared/domain'
import { DrawListBuilder } from './builder'
import type { ArchiveFonts } from './fonts'
import { multiply, rectPath, rotate, scale, transformPathData, translate } from './geometry'
import { qrPath } from './qr'
import {
  dateWords,
  shanghaiDateTimeWords,
  verificationGood,
  verificationLine,
} from './verification'

const PAPER_MM: Readonly<Record<Paper, readonly [number, number]>> = {
  A4: [210, 297],
  A3: [297, 420],
}

export interface ArchivePerson {
  readonly name: string
  /** As printed and registered: a staff member's masked ID number, never the full one. */
  readonly code: string
  readonly role: string
  /** What the library's own log records as the operator (the full staff code), when signed in. */
  readonly operatorCode?: string
}

export interface ArchiveHeader {
  /** The archive number, or a placeholder in a preview. */
  readonly archiveNo: string
  readonly businessSerial: string
  readonly matter: { readonly code: string; readonly name: string } | null
  /** The source identifier: the licence identifier, or the file's SM3 for a file without one. */
  readonly sourceIdentifier: string
  readonly licence: {
    readonly typeName?: string
    readonly number?: string
    readonly issuer?: string
  }
  readonly printedBy: ArchivePerson
  readonly printedAt: Date
  readonly unit: { readonly name: string; readonly code: string; readonly terminal: string }
  readonly verification: ArchiveVerification
  /** Set for the second and later prints of the same copy. */
  readonly reprint?: { readonly printNo: number; readonly firstPrintedAt: string }
  readonly qr: {
    readonly content: string
    readonly expiresOn: string
    readonly validDays: number
    /** The office key's fingerprint (`keyFingerprint`), for a reader checking without the service. */
    readonly fingerprint: string
  }
  readonly preview?: boolean
}

export interface ComposeOptions {
  readonly paper: Paper
  readonly orientation: Orientation
  readonly fonts: ArchiveFonts
}

const INK: Rgba = [0, 0, 0, 1]
const GREY: Rgba = [90, 90, 90, 1]
const RULE: Rgba = [60, 60, 60, 1]
const GOOD: Rgba = [0, 100, 40, 1]
const BAD: Rgba = [180, 0, 0, 1]
const WATERMARK: Rgba = [110, 110, 110, 1]

const ROLE_WORDS: Readonly<Record<string, string>> = {
  supervisor: '督导',
  administrator: '管理员',
  clerk: '窗口人员',
  cli: '命令行',
}

function line(x1: number, y1: number, x2: number, y2: number, width: number, color = RULE): DrawOp {
  return {
    kind: 'path',
    d: `M${x1} ${y1}L${x2} ${y2}`,
    transform: [1, 0, 0, 1, 0, 0],
    rule: 'nonzero',
    stroke: { color, width, cap: 'butt', join: 'miter', miterLimit: 4 },
  }
}

function frame(x: number, y: number, w: number, h: number, width: number): DrawOp {
  return {
    kind: 'path',
    d: rectPath(x, y, w, h),
    transform: [1, 0, 0, 1, 0, 0],
    rule: 'nonzero',
    stroke: { color: [150, 150, 150, 1], width, cap: 'butt', join: 'miter', miterLimit: 4 },
  }
}

/** The licence page's ops moved by `m`, with its keys prefixed so they never meet the archive's. */
function placeOps(ops: readonly DrawOp[], m: Matrix, prefix: string): DrawOp[] {
  return ops.map((op): DrawOp => {
    switch (op.kind) {
      case 'path':
        return { ...op, transform: multiply(m, op.transform) }
      case 'image':
        return { ...op, image: prefix + op.image, transform: multiply(m, op.transform) }
      case 'text':
        return {
          ...op,
          font: prefix + op.font,
          transform: multiply(m, op.transform),
          glyphs: op.glyphs.map((g) => (g.g ? { ...g, g: prefix + g.g } : g)),
        }
      case 'group': {
        const group: GroupOp = {
          ...op,
          ops: placeOps(op.ops, m, prefix),
          ...(op.clips
            ? {
                clips: op.clips.map((clip) =>
                  clip.map((c) => ({ ...c, d: transformPathData(c.d, m) })),
                ),
              }
            : {}),
        }
        return group
      }
    }
  })
}

function prefixed<T>(record: Readonly<Record<string, T>>, prefix: string): Record<string, T> {
  const out: Record<string, T> = {}
  for (const [k, v] of Object.entries(record)) out[prefix + k] = v
  return out
}

/** The paper's width and height for a licence page, turned as `orientation` asks. */
export function paperSize(
  paper: Paper,
  orientation: Orientation,
  licence: { readonly width: number; readonly height: number },
): [number, number] {
  const [short, long] = PAPER_MM[paper]
  const landscape =
    orientation === 'landscape' || (orientation === 'auto' && licence.width > licence.height)
  return landscape ? [long, short] : [short, long]
}

/** One archive page per licence page. */
export function composeArchivePages(
  licencePages: readonly RenderPage[],
  header: ArchiveHeader,
  options: ComposeOptions,
): RenderPage[] {
  return licencePages.map((page, index) =>
    composePage(page, index, licencePages.length, header, options),
  )
}

function composePage(
  licence: RenderPage,
  index: number,
  count: number,
  h: ArchiveHeader,
  options: ComposeOptions,
): RenderPage {
  const [W, H] = paperSize(options.paper, options.orientation, licence)
  const b = new DrawListBuilder(options.fonts)
  const big = options.paper === 'A3' ? 1.2 : 1
  const m = 10 * big
  const inner = W - 2 * m
  const ops: DrawOp[] = []

  // Header.
  const s1 = 5 * big
  const s2 = 3.1 * big
  let y = m + s1
  ops.push(b.text('电子证照存档副本', m, y, { size: s1 }).op)
  const no = b.text(`存档编号 ${h.archiveNo}`, W - m, y, {
    size: 4.2 * big,
    align: 'right',
    fill: h.preview ? BAD : INK,
  })
  ops.push(no.op)
  y += s2 + 3
  const matter = h.matter ? `${h.matter.name}（${h.matter.code}）` : '（未关联事项）'
  ops.push(
    b.text(
      `业务流水号：${h.businessSerial || '（未关联业务）'}\u3000\u3000办理事项：${matter}`,
      m,
      y,
      {
        size: s2,
        maxWidth: inner,
        minSize: 2.4 * big,
      },
    ).op,
  )
  y += s2 + 1.8
  ops.push(
    b.text(`来源标识：${h.sourceIdentifier}`, m, y, { size: s2, maxWidth: inner, minSize: 2 * big })
      .op,
  )
  y += s2 + 1.8
  const l = h.licence
  const about = [
    l.typeName ? `证照：${l.typeName}${l.number ? ` ${l.number}` : ''}` : '',
    l.issuer ? `颁发机构：${l.issuer}` : '',
  ]
    .filter(Boolean)
    .join('\u3000\u3000')
  if (about) {
    ops.push(b.text(about, m, y, { size: s2, maxWidth: inner, minSize: 2.2 * big }).op)
    y += s2 + 1.8
  }
  const good = verificationGood(h.verification)
  ops.push(
    b.text(`打印时核验：${verificationLine(h.verification)}`, m, y, {
      size: s2,
      maxWidth: inner,
      minSize: 2 * big,
      fill: good ? GOOD : BAD,
    }).op,
  )
  y += 2.2
  ops.push(line(m, y, W - m, y, 0.35))
  const top = y + 3

  // Footer, from the bottom up.
  const qrSize = (options.paper === 'A3' ? 34 : 28) * (W > H ? 0.9 : 1)
  const footTop = H - m - qrSize
  ops.push(line(m, footTop - 2.5, W - m, footTop - 2.5, 0.35))
  ops.push(qrPath(h.qr.content, m - qrSize * 0.07, footTop, qrSize))
  const fx = m + qrSize * 0.95
  const fs = 2.9 * big
  const fw = W - m - fx - 30 * big
  let fy = footTop + fs + 1.5
  const footLine = (text: string, fill = INK) => {
    ops.push(b.text(text, fx, fy, { size: fs, maxWidth: fw, minSize: 2 * big, fill }).op)
    fy += fs + 1.6
  }
  // How to check the copy: online through the code, or — for a reader without the service —
  // with the office's public key, recognised by its fingerprint, against the code's signature.
  footLine('扫描二维码在线核验；离线时向存档单位索取核验公钥，核对指纹后验证二维码签名')
  footLine(`核验公钥 SM3 指纹：${h.qr.fingerprint}`)
  footLine(
    `核验码有效期至 ${dateWords(h.qr.expiresOn)}（自打印之日起 ${h.qr.validDays} 天），逾期请向存档单位申请核验`,
  )
  footLine(`存档单位：${h.unit.name}（终端 ${h.unit.terminal}）`, GREY)
  const role = ROLE_WORDS[h.printedBy.role] ?? h.printedBy.role
  footLine(
    `打印人：${h.printedBy.name}（${role}，${h.printedBy.code}）\u3000打印时间：${shanghaiDateTimeWords(h.printedAt, true)}`,
  )
  if (h.reprint)
    footLine(
      `重印：本件第 ${h.reprint.printNo} 次打印（首次打印 ${shanghaiDateTimeWords(new Date(h.reprint.firstPrintedAt))}）`,
      BAD,
    )
  ops.push(
    b.text(`第 ${index + 1} 页 / 共 ${count} 页`, W - m, H - m - 1, {
      size: 3.2 * big,
      align: 'right',
    }).op,
  )

  // The licence, scaled into the area between header and footer, centred, framed.
  const areaTop = top
  const areaBottom = footTop - 5
  const areaH = areaBottom - areaTop
  const s = Math.min(inner / licence.width, areaH / licence.height)
  const lw = licence.width * s
  const lh = licence.height * s
  const lx = m + (inner - lw) / 2
  const ly = areaTop + (areaH - lh) / 2
  const place: Matrix = multiply(translate(lx, ly), scale(s))
  const prefix = `l${index}:`
  const licenceGroup: GroupOp = {
    kind: 'group',
    role: 'content',
    clips: [[{ d: rectPath(lx, ly, lw, lh), rule: 'nonzero' }]],
    ops: placeOps(licence.ops, place, prefix),
  }
  ops.push(licenceGroup)
  ops.push(frame(lx, ly, lw, lh, 0.25))

  // The watermark: 存档副本 in a diagonal grid over the licence, in the page content itself.
  const wmSize = (options.paper === 'A3' ? 16 : 13) * Math.max(0.6, Math.min(1, lw / 180))
  const wm: DrawOp[] = []
  const stepX = wmSize * 6
  const stepY = wmSize * 3.6
  let row = 0
  for (let wy = ly + stepY * 0.6; wy < ly + lh + stepY; wy += stepY, row++) {
    for (let wx = lx - stepX + (row % 2) * (stepX / 2); wx < lx + lw + stepX; wx += stepX) {
      wm.push(
        b.text('存档副本', 0, 0, {
          size: wmSize,
          fill: WATERMARK,
          transform: multiply(translate(wx, wy), rotate(-30)),
        }).op,
      )
    }
  }
  ops.push({
    kind: 'group',
    role: 'annotation',
    ref: 'archive-watermark',
    alpha: 0.16,
    clips: [[{ d: rectPath(lx, ly, lw, lh), rule: 'nonzero' }]],
    ops: wm,
  })

  return {
    index,
    width: W,
    height: H,
    ops,
    glyphs: { ...prefixed(licence.glyphs, prefix), ...b.glyphs },
    images: prefixed(licence.images, prefix),
    fonts: { ...prefixed(licence.fonts, prefix), ...b.fonts },
    warnings: [...licence.warnings],
  }
}
