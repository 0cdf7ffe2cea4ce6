/** What the archive tests share: the fonts (parsed once), draw lists, a database, training files. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createArchiveFonts,
  DrawListBuilder,
  type ArchiveFonts,
  type ArchiveHeader,
} from '../../../../src/main/archive'
import { runCli } from '../../../../src/main/commands'
import { openDatabase, type Db } from '../../../../src/main/db'
import { createLogger } from '../../../../src/main/log'
import {
  createLicenceFileSource,
  SEED_LICENCES,
  type LicenceFileSource,
} from '../../../../src/main/training'
import type { RenderPage } from '../../../../src/shared/domain'

export const RESOURCES = resolve(import.meta.dirname, '../../../../resources')

let fonts: ArchiveFonts | undefined
/** Bundled faces only, so results do not depend on the machine's fonts. */
export function archiveFonts(): ArchiveFonts {
  fonts ??= createArchiveFonts({ resourcesDir: RESOURCES, systemFonts: false })
  return fonts
}

export function memoryDb(): Db {
  return openDatabase({ file: ':memory:' })
}

export function tempDir(prefix = 'archive-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export const quietLogger = () => createLogger({ sink: () => undefined })

/** A CLI command line run in this process, on a fresh data folder unless one is given. */
export async function cliHere(
  args: readonly string[],
  dataDir = tempDir('archive-cli-'),
): Promise<{ status: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const status = await runCli([...args, '--data-dir', dataDir], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    resourcesDir: RESOURCES,
    interrupted: new Promise(() => undefined),
  })
  return { status, out, err }
}

/** A licence page drawn with the archive's own text builder: a frame, a title, two fields. */
export function licencePage(
  width = 210,
  height = 297,
  lines: readonly string[] = ['持证人：张建国', '证照编号：410105006852'],
): RenderPage {
  const b = new DrawListBuilder(archiveFonts(), 'x')
  const ops: RenderPage['ops'] = [
    {
      kind: 'path',
      d: `M5 5L${width - 5} 5L${width - 5} ${height - 5}L5 ${height - 5}Z`,
      transform: [1, 0, 0, 1, 0, 0],
      rule: 'nonzero',
      stroke: { color: [180, 20, 20, 1], width: 1.5, cap: 'butt', join: 'miter', miterLimit: 4 },
    },
    b.text('居民户口簿', width / 2, 40, { size: 14, align: 'center' }).op,
    ...lines.map((l, i) => b.text(l, 30, 80 + i * 12, { size: 6 }).op),
  ]
  return {
    index: 0,
    width,
    height,
    ops,
    glyphs: b.glyphs,
    images: {},
    fonts: b.fonts,
    warnings: [],
  }
}

export function header(overrides: Partial<ArchiveHeader> = {}): ArchiveHeader {
  return {
    archiveNo: 'TRAIN-01-2026-000007',
    businessSerial: 'YW2026052000012',
    matter: { code: 'M-HJ-001', name: '户口迁移' },
    sourceIdentifier: '1.2.156.3005.2.11100000000013338W002.11410105MB1613052U.2016000318.001.9',
    licence: { typeName: '居民户口簿', number: '410105006852', issuer: '郑州市公安局金水分局' },
    printedBy: { name: '培训审核员', code: '410100********0025', role: 'supervisor' },
    printedAt: new Date('2026-05-20T06:32:05Z'),
    unit: { name: '培训演示政务服务中心', code: '11410100MB00000005', terminal: 'TRAIN-01' },
    verification: {
      seal: { state: 'valid', text: '电子签章有效（1 个签章，签章人：郑州市公安局金水分局）' },
      library: {
        state: 'in-force',
        status: '有效',
        text: '证照库状态：有效（2026年5月20日 14:32 查询）',
      },
      checkedAt: '2026-05-20T06:32:05.000Z',
    },
    qr: {
      content: 'https://archive.sandbox.invalid/v1/verify?v=1&n=TRAIN-01-2026-000007',
      expiresOn: '2027-05-20',
      validDays: 365,
      fingerprint: '1a2b 3c4d 5e6f 7a8b 9c0d 1e2f 3a4b 5c6d',
    },
    ...overrides,
  }
}

let files: LicenceFileSource | undefined
const made = new Map<string, Promise<Uint8Array>>()

/** The sandbox's signed OFD for a seed licence (made once per test process). */
export function trainingOfd(index: number): Promise<Uint8Array> {
  files ??= createLicenceFileSource({ resourcesDir: RESOURCES, fonts: archiveFonts().library })
  const l = SEED_LICENCES[index]!
  let p = made.get(l.licenseIdentifier)
  if (!p) {
    p = files.fileFor(l, 'ofd').then((b) => {
      if (!b) throw new Error(`no training file for ${l.licenseIdentifier}`)
      return b
    })
    made.set(l.licenseIdentifier, p)
  }
  return p
}

export function trainingTrust(): readonly Uint8Array[] {
  files ??= createLicenceFileSource({ resourcesDir: RESOURCES, fonts: archiveFonts().library })
  return files.trustAnchors
}

export { SEED_LICENCES }
