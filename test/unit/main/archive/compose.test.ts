import { describe, expect, it } from 'vitest'
import {
  composeArchivePages,
  createArchiveFonts,
  DrawListBuilder,
  paperSize,
} from '../../../../src/main/archive'
import { isCounterError } from '../../../../src/shared/errors'
import type { DrawOp, GroupOp, RenderPage, TextOp } from '../../../../src/shared/domain'
import { archiveFonts, header, licencePage, RESOURCES } from './fixtures'

function texts(ops: readonly DrawOp[]): TextOp[] {
  return ops.flatMap((op) => (op.kind === 'text' ? [op] : op.kind === 'group' ? texts(op.ops) : []))
}
const lines = (page: RenderPage) => texts(page.ops).map((t) => t.text)

describe('text in the archive fonts', () => {
  it('measures, aligns and fits text, with glyph outlines for every painter', () => {
    const b = new DrawListBuilder(archiveFonts())
    const plain = b.text('存档编号 A-1', 100, 20, { size: 4 })
    expect(plain.width).toBeCloseTo(b.measure('存档编号 A-1', 4), 6)
    expect(plain.op.glyphs[0]!.x).toBe(100)
    const right = b.text('存档编号 A-1', 100, 20, { size: 4, align: 'right' })
    expect(right.op.glyphs[0]!.x).toBeCloseTo(100 - plain.width, 3)
    // A full-width CJK character is one em.
    expect(b.measure('档', 10)).toBeCloseTo(10, 1)
    for (const g of plain.op.glyphs) if (g.c !== ' ') expect(b.glyphs[g.g!]).toMatch(/^M/)
    const long = '很长的事项名称'.repeat(20)
    const fitted = b.text(long, 0, 0, { size: 4, maxWidth: 50, minSize: 3 })
    expect(fitted.op.size).toBe(3)
    expect(fitted.width).toBeLessThanOrEqual(50)
    expect(fitted.op.text.endsWith('…')).toBe(true)
  })

  it('refuses a character no font has, naming it, rather than print a blank', () => {
    const b = new DrawListBuilder(
      createArchiveFonts({ resourcesDir: RESOURCES, systemFonts: false, extraFonts: [] }),
    )
    try {
      b.text('张𠮷', 0, 0, { size: 4 })
      expect.unreachable()
    } catch (error) {
      expect(isCounterError(error) && error.code).toBe('ARCHIVE_GLYPH_MISSING')
      expect(isCounterError(error) && error.params).toEqual({ char: '𠮷', code: 'U+20BB7' })
    }
  })
})

describe('archive page layout', () => {
  it('turns the paper to the licence and scales the licence into the content area', () => {
    expect(paperSize('A4', 'auto', { width: 297, height: 210 })).toEqual([297, 210])
    expect(paperSize('A4', 'auto', { width: 210, height: 297 })).toEqual([210, 297])
    expect(paperSize('A3', 'portrait', { width: 420, height: 297 })).toEqual([297, 420])
    const [page] = composeArchivePages([licencePage(297, 210)], header(), {
      paper: 'A3',
      orientation: 'auto',
      fonts: archiveFonts(),
    })
    expect([page!.width, page!.height]).toEqual([420, 297])
    const licence = page!.ops.find(
      (op): op is GroupOp => op.kind === 'group' && op.role === 'content',
    )!
    const frame = licence.ops[0]!
    expect(frame.kind).toBe('path')
    // The licence frame (5 mm inset on the licence) lands inside the page margins.
    const [a, , , , e] = frame.kind === 'path' ? frame.transform : [0, 0, 0, 0, 0, 0]
    expect(a).toBeGreaterThan(0.9)
    expect(e).toBeGreaterThanOrEqual(10)
    expect(e + 297 * a).toBeLessThanOrEqual(420 - 10)
  })

  it('carries every header and footer field, the watermark and page x / y', () => {
    const pages = composeArchivePages([licencePage(), licencePage()], header(), {
      paper: 'A4',
      orientation: 'auto',
      fonts: archiveFonts(),
    })
    expect(pages).toHaveLength(2)
    const all = lines(pages[1]!).join('\n')
    for (const expected of [
      '电子证照存档副本',
      '存档编号 TRAIN-01-2026-000007',
      '业务流水号：YW2026052000012',
      '办理事项：户口迁移（M-HJ-001）',
      '来源标识：1.2.156.3005.2.11100000000013338W002.11410105MB1613052U.2016000318.001.9',
      '证照：居民户口簿 410105006852',
      '颁发机构：郑州市公安局金水分局',
      '打印时核验：电子签章有效（1 个签章，签章人：郑州市公安局金水分局）；证照库状态：有效（2026年5月20日 14:32 查询）',
      '核验码有效期至 2027年5月20日（自打印之日起 365 天）',
      '打印人：培训审核员（督导，410100********0025）',
      '打印时间：2026年5月20日 14:32:05',
      '第 2 页 / 共 2 页',
      '存档单位：培训演示政务服务中心（终端 TRAIN-01）',
    ])
      expect(all).toContain(expected)
    expect(all).not.toContain('重印')
    const wm = pages[0]!.ops.find(
      (op): op is GroupOp => op.kind === 'group' && op.ref === 'archive-watermark',
    )!
    expect(wm.alpha).toBeGreaterThan(0.05)
    expect(wm.alpha).toBeLessThan(0.3)
    expect(texts(wm.ops).length).toBeGreaterThan(4)
    expect(texts(wm.ops).every((t) => t.text === '存档副本')).toBe(true)
    // Every glyph a text op names is in the page's glyph table; every font key is declared.
    for (const t of texts(pages[0]!.ops)) {
      expect(pages[0]!.fonts[t.font]).toBeDefined()
      for (const g of t.glyphs) if (g.g) expect(pages[0]!.glyphs[g.g]).toBeTruthy()
    }
  })

  it('marks reprints and previews, and shows an unchecked verification in the warning colour', () => {
    const [reprint] = composeArchivePages(
      [licencePage()],
      header({ reprint: { printNo: 3, firstPrintedAt: '2026-05-18T01:00:00Z' } }),
      { paper: 'A4', orientation: 'auto', fonts: archiveFonts() },
    )
    expect(lines(reprint!).join('\n')).toContain(
      '重印：本件第 3 次打印（首次打印 2026年5月18日 09:00）',
    )
    const [preview] = composeArchivePages(
      [licencePage()],
      header({
        archiveNo: '（打印时分配）',
        preview: true,
        verification: {
          seal: { state: 'unchecked', text: '电子签章未核验（本机未配置签章核验组件）' },
          library: { state: 'unchecked', text: '证照库状态未查询（证照库离线）' },
          checkedAt: '2026-05-20T06:32:05.000Z',
        },
      }),
      { paper: 'A4', orientation: 'auto', fonts: archiveFonts() },
    )
    const ops = texts(preview!.ops)
    const no = ops.find((t) => t.text.startsWith('存档编号'))!
    expect(no.text).toBe('存档编号 （打印时分配）')
    expect(no.fill![0]).toBeGreaterThan(150)
    const check = ops.find((t) => t.text.startsWith('打印时核验'))!
    expect(check.text).not.toContain('有效（')
    expect(check.fill).toEqual([180, 0, 0, 1])
  })

  it('moves the licence page into the archive page with its keys kept apart', () => {
    const licence = licencePage()
    const [page] = composeArchivePages([licence], header(), {
      paper: 'A4',
      orientation: 'auto',
      fonts: archiveFonts(),
    })
    const moved = page!.ops.find(
      (op): op is GroupOp => op.kind === 'group' && op.role === 'content',
    )!
    const title = moved.ops.find(
      (op): op is TextOp => op.kind === 'text' && op.text === '居民户口簿',
    )!
    expect(title.font.startsWith('l0:')).toBe(true)
    expect(title.glyphs.every((g) => !g.g || g.g.startsWith('l0:'))).toBe(true)
    expect(Object.keys(page!.glyphs).filter((k) => k.startsWith('l0:'))).toHaveLength(
      Object.keys(licence.glyphs).length,
    )
    expect(moved.clips?.[0]?.[0]?.d).toMatch(/^M\d/)
  })
})
