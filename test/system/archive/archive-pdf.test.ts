/**
 * Archive copies as a reader sees them: the PDFs rendered by poppler (pdftoppm) against golden
 * images, their text extracted (pdftotext) with every header field and the licence's own text,
 * the fonts embedded as subsets with ToUnicode, the QR code read back with jsQR and verified,
 * and a holder name with a CJK Extension B character (𠮷) printed and readable.
 *
 * The golden comparison goes region by region (header, footer, the watermarked licence, each of
 * the licence's pictures; see layout.ts) at a threshold the watermark's light grey exceeds, and
 * is shown to fail when the watermark, the licence's images or the verification line is taken
 * out of an otherwise correct copy.
 *
 * Goldens: `UPDATE_GOLDEN=1 npx vitest run --project system test/system/archive/archive-pdf.test.ts`
 * rewrites them from the copies the service prints. Do it only when the layout changed on
 * purpose, and look at every image before committing it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ArchiveService,
  createArchiveFonts,
  keyFingerprint,
  pagesToPdf,
  type ArchiveFonts,
  type ArchivePerson,
  type CopySource,
} from '../../../src/main/archive'
import { openDatabase, type Db } from '../../../src/main/db'
import { createLibraryClient } from '../../../src/main/licences'
import { createLogger } from '../../../src/main/log'
import { createFontLibrary, verifyOfd } from '../../../src/main/ofd'
import {
  createLicenceFileSource,
  SEED_LICENCES,
  startSandboxLibrary,
  type SandboxLibrary,
} from '../../../src/main/training'
import type { WireLicence } from '../../../src/main/licences'
import type { Paper, RenderPage } from '../../../src/shared/domain'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { PNG } from 'pngjs'
import {
  archiveLayout,
  BREAKAGES,
  glyphBox,
  goldenRegions,
  pixelBox,
  whiteWatermark,
  type ArchiveLayout,
} from './layout'
import {
  againstGolden,
  compareRegions,
  decodeQr,
  failedRegions,
  inkAdded,
  inkPixels,
  pdfFonts,
  pixelDifference,
  pdfText,
  pdfWords,
  renderPng,
  rotatedRuns,
  shifted,
  summary,
  type Crop,
} from './poppler'

const ROOT = resolve(import.meta.dirname, '../../..')
const RESOURCES = join(ROOT, 'resources')
const GOLDEN = join(import.meta.dirname, 'golden')
/** Enough for the watermark's strokes to be several pixels wide, small enough to keep in git. */
const GOLDEN_DPI = 75
const NOTO = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
const NOW = new Date('2026-05-20T06:32:05Z')
const KEY = '5d1e4c6b8a2f9e0d7c3b1a4f6e8d2c0b9a7f5e3d1c2b4a6f8e0d9c7b5a3f1e2d'
const supervisor: ArchivePerson = {
  name: '培训审核员',
  code: '410100********0025',
  role: 'supervisor',
}

const hukou = SEED_LICENCES.find((l) => l.licenseTypeName === '居民户口簿')!
const business = SEED_LICENCES.find((l) => l.licenseTypeName === '营业执照')!
/** A licence for a holder whose name has a CJK Extension B character. */
const rare: WireLicence = {
  ...hukou,
  licenseIdentifier: hukou.licenseIdentifier.replace(/\.\w$/, '.Q'),
  holderName: '张𠮷',
  surfaceData: [{ name: '户主姓名', value: '张𠮷' }],
}

let dir: string
let db: Db
let sandbox: SandboxLibrary
let fonts: ArchiveFonts
let service: ArchiveService
const files: Record<string, Uint8Array> = {}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'archive-system-'))
  db = openDatabase({ file: join(dir, 'archive.db') })
  // The writer draws 𠮷 from the system's Noto CJK, as an office's extra font would.
  const source = createLicenceFileSource({
    resourcesDir: RESOURCES,
    fonts: createFontLibrary({ resourcesDir: RESOURCES, extraFonts: [NOTO] }),
  })
  for (const l of [hukou, business, rare])
    files[l.licenseIdentifier] = (await source.fileFor(l, 'ofd'))!
  sandbox = await startSandboxLibrary({
    licences: [...SEED_LICENCES, rare],
    fileFor: source.fileFor,
  })
  const logger = createLogger({ sink: () => undefined })
  fonts = createArchiveFonts({ resourcesDir: RESOURCES })
  service = new ArchiveService({
    db,
    terminal: { id: 'TRAIN-01', unitName: '培训演示政务服务中心', unitCode: '11410100MB00000005' },
    settings: { extraFonts: [], systemFonts: true, qr: { validDays: 365, privateKey: KEY } },
    inForceStatuses: ['有效', '现势'],
    resourcesDir: RESOURCES,
    exportRoot: dir,
    library: createLibraryClient({
      baseUrl: sandbox.url,
      auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
      timeoutMs: 15_000,
      retries: 0,
      logger,
    }),
    // The QR codes open the library's verification service, which the sandbox provides.
    libraryUrl: sandbox.url,
    matters: () => [],
    verifySeals: (doc) => verifyOfd(doc, { trust: { certificates: [...source.trustAnchors] } }),
    logger,
    fonts,
    now: () => NOW,
  })
  sandbox.verifyArchiveCopies(service.verification())
}, 180_000)

afterAll(async () => {
  await sandbox?.close()
  db?.close()
})

const squash = (s: string) => s.replace(/\s+/g, '')

/** Prints a licence (from the sandbox library by identifier, or a local file) to a PDF. */
async function print(
  name: string,
  source: { identifier?: string; file?: string },
  paper: 'A4' | 'A3',
  actor = supervisor,
  businessSerial?: string,
) {
  const out = join(dir, `${name}.pdf`)
  let copySource: CopySource
  if (source.file) {
    const path = join(dir, `${name}.ofd`)
    writeFileSync(path, files[source.file]!)
    copySource = { kind: 'file' as const, path }
  } else
    copySource = {
      kind: 'identifier' as const,
      identifier: source.identifier!,
      ...(businessSerial ? { businessSerial } : {}),
    }
  const result = await service.printToFile(copySource, out, { paper, orientation: 'auto' }, actor)
  return { out, result, source: copySource }
}

/**
 * The draw list of a print just made: the same copy laid out again under the same number and
 * time (only the QR signature differs, and the comparison masks it).
 */
function drawListOf(
  printed: Awaited<ReturnType<typeof print>>,
  paper: Paper,
): Promise<RenderPage[]> {
  return drawList(printed.source, paper, printed.result)
}

/** A copy's draw list under a given number, printed by the supervisor at NOW. */
async function drawList(
  source: CopySource,
  paper: Paper,
  { archiveNo, printNo, reprint }: { archiveNo: string; printNo: number; reprint: boolean },
  actor = supervisor,
): Promise<RenderPage[]> {
  const copy = await service.copies.resolve(source, actor)
  return service.copies.pages(
    copy,
    actor,
    { paper, orientation: 'auto' },
    {
      started: { id: 0, archiveNo, printNo, reprint, printedAt: NOW.toISOString() },
      key: service.key(),
    },
  )
}

/** Paints a draw list into a PDF file with the archive's painter. */
async function paint(name: string, pages: readonly RenderPage[]): Promise<string> {
  const out = join(dir, `${name}.pdf`)
  const { bytes } = await pagesToPdf(pages, fonts, {
    title: name,
    author: supervisor.name,
    creationDate: NOW,
  })
  writeFileSync(out, bytes)
  return out
}

/** Page 1 of a PDF against a golden image, region by region: no region changed beyond its limit. */
function expectGolden(pdf: string, golden: string, page: RenderPage): void {
  const { regions, masks } = goldenRegions(archiveLayout(page), GOLDEN_DPI)
  const results = againstGolden(renderPng(pdf, 1, GOLDEN_DPI), join(GOLDEN, golden), regions, masks)
  expect(failedRegions(results), summary(results)).toEqual([])
}

/**
 * The 存档副本 watermark as the PDF itself carries it (the title 电子证照存档副本 and the footer's
 * 本存档副本 do not count): runs of the four characters rising at 30° inside the licence's
 * frame in the text layer, and the ink they add to the licence — compared with the same page
 * painted without the watermark group — spread over the whole licence, and light.
 */
async function watermarkIn(pdf: string, pages: readonly RenderPage[], layout: ArchiveLayout) {
  const pt = 72 / 25.4
  const l = layout.licence
  const runs = rotatedRuns(
    pdfWords(pdf),
    '存档副本',
    { x: l.x * pt, y: l.y * pt, w: l.w * pt, h: l.h * pt },
    30,
  )
  const without = await paint(
    `${basename(pdf, '.pdf')}-without-watermark`,
    BREAKAGES['the watermark removed'].apply(pages),
  )
  const k = GOLDEN_DPI / 25.4
  // Inside the frame, clear of its own line.
  const box: Crop = {
    x: Math.ceil((l.x + 1) * k),
    y: Math.ceil((l.y + 1) * k),
    w: Math.floor((l.w - 2) * k),
    h: Math.floor((l.h - 2) * k),
  }
  const ink = inkAdded(renderPng(pdf, 1, GOLDEN_DPI), renderPng(without, 1, GOLDEN_DPI), box)
  return { runs, ink }
}

/** What a correct watermark looks like: expectations on `watermarkIn`. */
function expectWatermark({ runs, ink }: Awaited<ReturnType<typeof watermarkIn>>): void {
  expect(runs).toBeGreaterThanOrEqual(8)
  expect(ink.share).toBeGreaterThan(0.03)
  for (const cell of ink.cells) expect(cell).toBeGreaterThan(0.02)
  // A light grey over the licence, not a stamp that hides it.
  expect(ink.darkest).toBeLessThan(60)
}

/** The archive QR in the footer: decoded at 200 dpi from the bottom-left of the page. */
function footerQr(pdf: string, widthMm: number, heightMm: number) {
  const dpi = 200
  const px = (mm: number) => Math.round((mm * dpi) / 25.4)
  const crop: Crop = { x: 0, y: px(heightMm - 52), w: px(widthMm / 3), h: px(52) }
  return decodeQr(renderPng(pdf, 1, dpi, crop))?.data
}

describe('archive copy PDFs', () => {
  it('prints a licence from the library: header fields, the licence text, fonts, QR, golden image', async () => {
    const printed = await print('hukou', { identifier: hukou.licenseIdentifier }, 'A4')
    const { out, result } = printed
    expect(result).toMatchObject({
      archiveNo: 'TRAIN-01-2026-000001',
      printNo: 1,
      reprint: false,
      pages: 1,
    })
    expect(result.bytes).toBeLessThan(150 * 1024)

    const text = squash(pdfText(out))
    for (const field of [
      '电子证照存档副本',
      '存档编号TRAIN-01-2026-000001',
      '业务流水号：（未关联业务）',
      `来源标识：${hukou.licenseIdentifier}`,
      `证照：居民户口簿${hukou.licenseNumber}`,
      `颁发机构：${hukou.issueOrgName}`,
      '打印时核验：电子签章有效（1个签章',
      '证照库状态：有效（2026年5月20日14:32查询）',
      '打印人：培训审核员（督导，410100********0025）',
      '打印时间：2026年5月20日14:32:05',
      '核验码有效期至2027年5月20日（自打印之日起365天）',
      '第1页/共1页',
      // The licence's own text, as real text.
      '居民户口簿',
      hukou.holderName,
      hukou.licenseNumber,
    ])
      expect(text).toContain(squash(field))

    const used = pdfFonts(out)
    expect(used.length).toBeGreaterThanOrEqual(2)
    for (const f of used) {
      expect(f, f.name).toMatchObject({ emb: true, sub: true, uni: true })
      expect(f.name).toMatch(/^[A-Z]{6}\+/)
    }
    expect(used.map((f) => f.name.slice(7))).toContain('CounterDeskHei-Regular')

    // Without the service, the office's public key is checked against the printed fingerprint.
    expect(text).toContain('离线时向存档单位索取核验公钥，核对指纹后验证二维码签名')
    expect(text).toContain(
      squash(`核验公钥SM3指纹：${keyFingerprint(service.key().keys.publicKey)}`),
    )

    const qr = footerQr(out, 210, 297)
    expect(qr).toBeDefined()
    // Anyone can verify: the code read off the paper opens the library's verification service.
    expect(qr!.startsWith(`${sandbox.url}/archive/v1/verify?`)).toBe(true)
    const answer = (await (await fetch(qr!)).json()) as { data: unknown }
    expect(answer.data).toMatchObject({
      valid: true,
      archiveNo: 'TRAIN-01-2026-000001',
      registered: { prints: 1 },
    })
    const check = service.verifyQr(qr!)
    expect(check).toMatchObject({
      valid: true,
      archiveNo: 'TRAIN-01-2026-000001',
      identifier: hukou.licenseIdentifier,
      issuerCode: hukou.issueOrgCode,
      unitCode: '11410100MB00000005',
      expiresOn: '2027-05-20',
      registered: { prints: 1 },
    })

    const pages = await drawListOf(printed, 'A4')
    expectGolden(out, 'hukou-a4.png', pages[0]!)
    expectWatermark(await watermarkIn(out, pages, archiveLayout(pages[0]!)))
  })

  it('prints a landscape licence from a local OFD on A3, and marks printing it again as a reprint', async () => {
    const first = await print('business-a3', { file: business.licenseIdentifier }, 'A3')
    expect(first.result).toMatchObject({ printNo: 1, reprint: false })
    const text = squash(pdfText(first.out))
    expect(text).toContain(squash(`来源标识：${business.licenseIdentifier}`))
    expect(text).toContain('营业执照')
    expect(text).toContain(squash('郑州市金水区鑫源餐饮管理有限公司'))
    // A local file in training mode: the library is still asked about the licence it names.
    expect(text).toContain('证照库状态：')

    const qr = footerQr(first.out, 420, 297)
    expect(qr).toBeDefined()
    const pages = await drawListOf(first, 'A3')
    expectGolden(first.out, 'business-a3.png', pages[0]!)
    expectWatermark(await watermarkIn(first.out, pages, archiveLayout(pages[0]!)))

    const again = await print('business-a3-again', { file: business.licenseIdentifier }, 'A3')
    expect(again.result).toMatchObject({
      archiveNo: first.result.archiveNo,
      printNo: 2,
      reprint: true,
    })
    expect(squash(pdfText(again.out))).toContain(squash('重印：本件第 2 次打印'))
  })

  it('prints a name with an Extension B character (𠮷) readably, in the licence and in the header', async () => {
    const { out } = await print('rare', { identifier: rare.licenseIdentifier }, 'A4', {
      name: '张𠮷',
      code: '410100********0025',
      role: 'supervisor',
    })
    const text = pdfText(out)
    // Once in the header (who printed), at least once in the licence (holder, 户主姓名).
    expect(text.match(/张𠮷/gu)?.length ?? 0).toBeGreaterThanOrEqual(2)
    // The glyph is drawn, not blank and not the 吉 it resembles (土 over 口: the lower bar is
    // the longer). Two first prints (separate businesses) differ only in the printer's name.
    const rareActor = { name: '𠮷𠮷𠮷𠮷𠮷𠮷', code: 'X', role: 'supervisor' }
    const rareCopy = await print(
      'rare-name',
      { identifier: rare.licenseIdentifier },
      'A4',
      rareActor,
      'YWRARE0001',
    )
    const commonCopy = await print(
      'common-name',
      { identifier: rare.licenseIdentifier },
      'A4',
      { name: '吉吉吉吉吉吉', code: 'X', role: 'supervisor' },
      'YWRARE0002',
    )
    expect(pdfText(rareCopy.out)).toContain('打印人：𠮷𠮷𠮷𠮷𠮷𠮷')
    // The six characters after 打印人： in the footer (600 dpi), where the layout put them.
    const [page] = await drawList(rareCopy.source, 'A4', rareCopy.result, rareActor)
    const crop = pixelBox(glyphBox(page!, '打印人：', 4, 6), 600)
    const a = renderPng(rareCopy.out, 1, 600, crop)
    const b = renderPng(commonCopy.out, 1, 600, crop)
    const commonInk = inkPixels(b)
    expect(commonInk).toBeGreaterThan(3000)
    expect(inkPixels(a)).toBeGreaterThan(commonInk * 0.8)
    expect(pixelDifference(a, b)).toBeGreaterThan(0.01)
    if (process.env.KEEP_ARCHIVE_CROPS) {
      writeFileSync(join(dir, 'rare.png'), PNG.sync.write(a))
      writeFileSync(join(dir, 'common.png'), PNG.sync.write(b))
      console.log(dir)
    }
    expect(existsSync(out)).toBe(true)
  })
})

describe('the golden comparison', () => {
  // The hukou copy exactly as its golden was printed: number 1, first print, at NOW.
  let pages: RenderPage[]
  let golden: PNG
  let regions: ReturnType<typeof goldenRegions>
  beforeAll(async () => {
    pages = await drawList({ kind: 'identifier', identifier: hukou.licenseIdentifier }, 'A4', {
      archiveNo: 'TRAIN-01-2026-000001',
      printNo: 1,
      reprint: false,
    })
    golden = PNG.sync.read(readFileSync(join(GOLDEN, 'hukou-a4.png')))
    regions = goldenRegions(archiveLayout(pages[0]!), GOLDEN_DPI)
  })
  const compare = (png: PNG) => compareRegions(png, golden, regions.regions, regions.masks)
  const expectPass = (png: PNG) => {
    const results = compare(png)
    expect(failedRegions(results), summary(results)).toEqual([])
  }

  it('passes the same copy painted again, and tolerates anti-aliasing noise', async () => {
    const pdf = await paint('golden-control', pages)
    expectPass(renderPng(pdf, 1, GOLDEN_DPI))
    // Edges anti-aliased another way (vector anti-aliasing off) or moved by a pixel are noise.
    expectPass(renderPng(pdf, 1, GOLDEN_DPI, undefined, ['-aaVector', 'no']))
    expectPass(shifted(renderPng(pdf, 1, GOLDEN_DPI), 1, 1))
  })

  it.each(Object.entries(BREAKAGES))('fails with %s', async (name, breakage) => {
    const broken = breakage.apply(pages)
    // The breakage took something away.
    expect(JSON.stringify(broken)).not.toBe(JSON.stringify(pages))
    const pdf = await paint(`golden-broken-${name.replaceAll(' ', '-')}`, broken)
    const failed = failedRegions(compare(renderPng(pdf, 1, GOLDEN_DPI)))
    expect(
      failed.some((r) => r.startsWith(breakage.region)),
      failed.join(', '),
    ).toBe(true)
  })

  it('finds no watermark when it is missing or painted without ink', async () => {
    const layout = archiveLayout(pages[0]!)
    const missing = await paint(
      'watermark-missing',
      BREAKAGES['the watermark removed'].apply(pages),
    )
    const gone = await watermarkIn(missing, pages, layout)
    expect(gone.runs).toBe(0)
    expect(gone.ink.share).toBe(0)
    // Text alone is not a watermark: in white it is still in the text layer, but not on paper.
    const white = await watermarkIn(
      await paint('watermark-white', whiteWatermark(pages)),
      pages,
      layout,
    )
    expect(white.runs).toBeGreaterThanOrEqual(8)
    expect(white.ink.share).toBeLessThan(0.001)
  })
})
