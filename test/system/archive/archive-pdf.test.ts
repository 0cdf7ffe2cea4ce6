/**
 * Archive copies as a reader sees them: the PDFs rendered by poppler (pdftoppm) against golden
 * images, their text extracted (pdftotext) with every header field and the licence's own text,
 * the fonts embedded as subsets with ToUnicode, the QR code read back with jsQR and verified,
 * and a holder name with a CJK Extension B character (𠮷) printed and readable.
 *
 * Goldens: `UPDATE_GOLDEN=1 npx vitest run --project system test/system/archive` rewrites them.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ArchiveService,
  createArchiveFonts,
  type ArchiveFonts,
  type ArchivePerson,
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
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { PNG } from 'pngjs'
import {
  againstGolden,
  decodeQr,
  inkPixels,
  pdfFonts,
  pixelDifference,
  pdfText,
  renderPng,
  type Crop,
} from './poppler'

const ROOT = resolve(import.meta.dirname, '../../..')
const RESOURCES = join(ROOT, 'resources')
const GOLDEN = join(import.meta.dirname, 'golden')
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
    matters: () => [],
    verifySeals: (doc) => verifyOfd(doc, { trust: { certificates: [...source.trustAnchors] } }),
    logger,
    fonts,
    now: () => NOW,
  })
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
  let copySource
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
  return { out, result }
}

/** The archive QR in the footer: decoded at 200 dpi from the bottom-left of the page. */
function footerQr(pdf: string, widthMm: number, heightMm: number) {
  const dpi = 200
  const px = (mm: number) => Math.round((mm * dpi) / 25.4)
  const crop: Crop = { x: 0, y: px(heightMm - 52), w: px(widthMm / 3), h: px(52) }
  const found = decodeQr(renderPng(pdf, 1, dpi, crop))
  if (!found) return undefined
  // The code's box in golden-image pixels (50 dpi), with a margin.
  const k = 50 / dpi
  const box: Crop = {
    x: Math.floor((crop.x + found.box.x) * k) - 6,
    y: Math.floor((crop.y + found.box.y) * k) - 6,
    w: Math.ceil(found.box.w * k) + 12,
    h: Math.ceil(found.box.h * k) + 12,
  }
  return { data: found.data, box }
}

describe('archive copy PDFs', () => {
  it('prints a licence from the library: header fields, the licence text, fonts, QR, golden image', async () => {
    const { out, result } = await print('hukou', { identifier: hukou.licenseIdentifier }, 'A4')
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
      '存档副本',
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

    const qr = footerQr(out, 210, 297)
    expect(qr).toBeDefined()
    const check = service.verifyQr(qr!.data)
    expect(check).toMatchObject({
      valid: true,
      archiveNo: 'TRAIN-01-2026-000001',
      identifier: hukou.licenseIdentifier,
      issuerCode: hukou.issueOrgCode,
      unitCode: '11410100MB00000005',
      expiresOn: '2027-05-20',
      registered: { prints: 1 },
    })

    const page = renderPng(out, 1, 50)
    expect(againstGolden(page, join(GOLDEN, 'hukou-a4.png'), [qr!.box])).toBeLessThan(0.004)
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
    const page = renderPng(first.out, 1, 50)
    expect(againstGolden(page, join(GOLDEN, 'business-a3.png'), [qr!.box])).toBeLessThan(0.004)

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
    const rareCopy = await print(
      'rare-name',
      { identifier: rare.licenseIdentifier },
      'A4',
      { name: '𠮷𠮷𠮷𠮷𠮷𠮷', code: 'X', role: 'supervisor' },
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
    // The six characters after 打印人： in the footer (A4, 600 dpi), right of the QR code.
    const crop: Crop = { x: 1140, y: 6472, w: 420, h: 84 }
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
