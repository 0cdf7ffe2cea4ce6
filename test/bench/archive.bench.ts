/**
 * `npm run bench:archive`: 500 one-page archive copies, each its own PDF, of signed training
 * licences (eight kinds, from the OFD writer) — targets: median ≤ 60 ms and ≤ 150 KB per copy
 * with fonts subset, memory flat across the batch.
 *
 * Measured per copy, in the same process:
 * - the archive's own work (`archive`): lay out header, footer, watermark and signed QR over
 *   the licence's draw list, and paint it into a PDF with embedded subset fonts;
 * - the whole copy (`full`), as `cli archive print` makes it: read the OFD, render it and
 *   verify its seal (OFD domain), number it in the register, the archive's work, write the file
 *   whole (temp file, fsync, rename) and finish the register entry;
 * - baselines: painting the bare licence page into a PDF with the same painter (no archive
 *   layer), and the OFD domain's open + render + seal check alone.
 * Wall and CPU time are both printed: on a shared machine CPU time is the steadier figure.
 *
 * Exits 1 when a target is missed (the medians are wall time), and when memory could not be
 * judged (fewer than 100 copies, or no --expose-gc).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  ArchiveService,
  composeArchivePages,
  createArchiveFonts,
  describeVerification,
  pagesToPdf,
  prepareLicence,
  type ArchiveHeader,
  type PdfInfo,
  type PreparedLicence,
} from '../../src/main/archive'
import { openDatabase } from '../../src/main/db'
import { createLogger } from '../../src/main/log'
import { openOfd, verifyOfd } from '../../src/main/ofd'
import { createLicenceFileSource, SEED_LICENCES } from '../../src/main/training'

const COPIES = Number(process.env.BENCH_COPIES ?? 500)
const TARGET_MS = 60
const TARGET_KB = 150
/** Heap growth per copy, after a collection, that still counts as flat. */
const FLAT_BYTES_PER_COPY = 20 * 1024
const ROOT = resolve(import.meta.dirname, '../..')
const RESOURCES = join(ROOT, 'resources')
const gc = (globalThis as { gc?: () => void }).gc

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { median: at(0.5), p90: at(0.9), min: s[0]!, max: s[s.length - 1]! }
}

async function measure<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const u = process.cpuUsage()
  const t = performance.now()
  const value = await fn()
  const wall = performance.now() - t
  const d = process.cpuUsage(u)
  return { wall, cpu: (d.user + d.system) / 1000, value }
}

const f1 = (v: number) => v.toFixed(1)
const mb = (b: number) => (b / 1024 / 1024).toFixed(1)

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-archive-'))
  const fonts = createArchiveFonts({ resourcesDir: RESOURCES })
  const source = createLicenceFileSource({ resourcesDir: RESOURCES, fonts: fonts.library })
  const kinds = new Map<string, (typeof SEED_LICENCES)[number]>()
  for (const l of SEED_LICENCES) if (!kinds.has(l.licenseTypeCode)) kinds.set(l.licenseTypeCode, l)
  const licences = [...kinds.values()].slice(0, 8)
  const files: { path: string; bytes: Uint8Array; identifier: string }[] = []
  for (const l of licences) {
    const bytes = (await source.fileFor(l, 'ofd'))!
    const path = join(dir, `${files.length}.ofd`)
    writeFileSync(path, bytes)
    files.push({ path, bytes, identifier: l.licenseIdentifier })
  }
  const trust = { certificates: [...source.trustAnchors] }
  const db = openDatabase({ file: join(dir, 'bench.db') })
  const service = new ArchiveService({
    db,
    terminal: { id: 'BENCH-01', unitName: '基准测试政务服务中心', unitCode: '11410100MB00000005' },
    settings: {
      outputDir: join(dir, 'out'),
      extraFonts: [],
      systemFonts: true,
      qr: { validDays: 365, privateKey: '3a'.repeat(32) },
    },
    inForceStatuses: ['有效'],
    resourcesDir: RESOURCES,
    exportRoot: dir,
    matters: () => [],
    verifySeals: (doc) => verifyOfd(doc, { trust }),
    logger: createLogger({ sink: () => undefined }),
    fonts,
  })
  const actor = { name: '基准测试', code: 'BENCH', role: 'supervisor' }

  // The licence pages and checks, ready for the archive-only measurement.
  const prepared: PreparedLicence[] = []
  for (const f of files) {
    const p = await prepareLicence(
      { bytes: f.bytes, name: f.path },
      {
        fonts: fonts.library,
        verifySeals: (doc) => verifyOfd(doc, { trust }),
      },
    )
    prepared.push(p)
  }
  const header = (i: number): ArchiveHeader => ({
    archiveNo: `BENCH-01-2026-${String(i + 1).padStart(6, '0')}`,
    businessSerial: `YW2026${String(i).padStart(8, '0')}`,
    matter: { code: 'M-BENCH', name: '基准测试事项' },
    sourceIdentifier: files[i % files.length]!.identifier,
    licence: {
      typeName: licences[i % licences.length]!.licenseTypeName,
      number: 'N0001',
      issuer: '郑州市',
    },
    printedBy: actor,
    printedAt: new Date(),
    unit: { name: '基准测试政务服务中心', code: '11410100MB00000005', terminal: 'BENCH-01' },
    verification: describeVerification(
      prepared[i % prepared.length]!.seal,
      { kind: 'unchecked', reason: '基准测试不连证照库' },
      ['有效'],
      new Date(),
    ),
    qr: {
      content: `https://archive.example.gov.cn/v1/verify?v=1&n=${i}&t=${'x'.repeat(86)}`,
      expiresOn: '2027-05-20',
      validDays: 365,
      fingerprint: '1a2b 3c4d 5e6f 7a8b 9c0d 1e2f 3a4b 5c6d',
    },
  })

  /** The archive's own work on copy i: its layout over the licence page, painted into a PDF. */
  const archiveWork = (i: number, info: PdfInfo) =>
    pagesToPdf(
      composeArchivePages(prepared[i % prepared.length]!.pages, header(i), {
        paper: 'A4',
        orientation: 'auto',
        fonts,
      }),
      fonts,
      info,
    )
  /** The whole of copy i, as `cli archive print` makes it, for a business of its own. */
  const wholeCopy = (i: number, businessSerial: string, out: string) =>
    service.printToFile(
      { kind: 'file', path: files[i % files.length]!.path, businessSerial },
      out,
      { paper: 'A4', orientation: 'auto' },
      actor,
    )

  // Warm up: fonts, glyph caches, the JIT.
  for (let i = 0; i < 16; i++) {
    await archiveWork(i, { title: 'w', author: 'w' })
    await wholeCopy(i, `WARM${String(i).padStart(4, '0')}`, join(dir, 'warm.pdf'))
  }

  // Baseline 1: the bare licence page through the same painter.
  const bare = { wall: [] as number[], cpu: [] as number[], bytes: [] as number[] }
  for (let i = 0; i < 100; i++) {
    const m = await measure(() =>
      pagesToPdf(prepared[i % prepared.length]!.pages, fonts, { title: 'b', author: 'b' }),
    )
    bare.wall.push(m.wall)
    bare.cpu.push(m.cpu)
    bare.bytes.push(m.value.bytes.length)
  }
  // Baseline 2: the OFD domain's open + render + seal check.
  const ofd = { wall: [] as number[], cpu: [] as number[] }
  for (let i = 0; i < 100; i++) {
    const m = await measure(async () => {
      const f = files[i % files.length]!
      await prepareLicence({ bytes: f.bytes, name: f.path }, { fonts: fonts.library })
      await verifyOfd(await openOfd(f.bytes), { trust })
    })
    ofd.wall.push(m.wall)
    ofd.cpu.push(m.cpu)
  }

  // The archive's own work, 500 copies.
  const archive = { wall: [] as number[], cpu: [] as number[], bytes: [] as number[] }
  for (let i = 0; i < COPIES; i++) {
    const m = await measure(() => archiveWork(i, { title: '存档副本', author: '基准测试' }))
    archive.wall.push(m.wall)
    archive.cpu.push(m.cpu)
    archive.bytes.push(m.value.bytes.length)
  }

  // The whole copy, 500 of them, each its own PDF file; memory sampled along the way.
  gc?.()
  const full = { wall: [] as number[], cpu: [] as number[], bytes: [] as number[] }
  const memory: { at: number; heap: number; rss: number }[] = []
  for (let i = 0; i < COPIES; i++) {
    const m = await measure(() =>
      wholeCopy(i, `YW${String(i).padStart(8, '0')}`, join(dir, 'out', `${i % 20}.pdf`)),
    )
    full.wall.push(m.wall)
    full.cpu.push(m.cpu)
    full.bytes.push(m.value.bytes)
    if (i % 50 === 49) {
      gc?.()
      const u = process.memoryUsage()
      memory.push({ at: i + 1, heap: u.heapUsed, rss: u.rss })
    }
  }
  db.close()
  rmSync(dir, { recursive: true, force: true })

  const a = stats(archive.wall)
  const ac = stats(archive.cpu)
  const fw = stats(full.wall)
  const fc = stats(full.cpu)
  const bw = stats(bare.wall)
  const bc = stats(bare.cpu)
  const ow = stats(ofd.wall)
  const oc = stats(ofd.cpu)
  const ab = stats(archive.bytes)
  const fb = stats(full.bytes)
  const bb = stats(bare.bytes)
  const missed: string[] = []
  const target = (met: boolean, what: string) => {
    if (!met) missed.push(what)
    return met ? 'met' : 'NOT met'
  }
  console.log(
    `archive copies: ${COPIES} one-page copies of ${files.length} kinds of signed licence, A4, each its own PDF`,
  )
  console.log(
    `  archive work (layout + QR + pdfkit, fonts subset): median ${f1(a.median)} ms (p90 ${f1(a.p90)}), CPU median ${f1(ac.median)} ms — target ≤ ${TARGET_MS} ms: ${target(a.median <= TARGET_MS, `archive work median ${f1(a.median)} ms > ${TARGET_MS} ms`)}`,
  )
  console.log(
    `  whole copy (read, OFD render + seal check, register, archive work, atomic write): median ${f1(fw.median)} ms (p90 ${f1(fw.p90)}), CPU median ${f1(fc.median)} ms — target ≤ ${TARGET_MS} ms: ${target(fw.median <= TARGET_MS, `whole copy median ${f1(fw.median)} ms > ${TARGET_MS} ms`)}`,
  )
  console.log(
    `  bytes per copy: median ${(fb.median / 1024).toFixed(1)} KB, max ${(fb.max / 1024).toFixed(1)} KB (archive work alone: median ${(ab.median / 1024).toFixed(1)} KB) — target ≤ ${TARGET_KB} KB: ${target(fb.max <= TARGET_KB * 1024, `largest copy ${(fb.max / 1024).toFixed(1)} KB > ${TARGET_KB} KB`)}`,
  )
  console.log(
    `  baseline, the bare licence page through the same painter: median ${f1(bw.median)} ms, CPU ${f1(bc.median)} ms, ${(bb.median / 1024).toFixed(1)} KB → archive work ×${(a.median / bw.median).toFixed(2)} (CPU ×${(ac.median / bc.median).toFixed(2)})`,
  )
  console.log(
    `  baseline, OFD open + render + seal check: median ${f1(ow.median)} ms, CPU ${f1(oc.median)} ms → ${((ow.median / fw.median) * 100).toFixed(0)}% of the whole copy`,
  )
  if (memory.length >= 2) {
    const first = memory[0]!
    const last = memory[memory.length - 1]!
    const heapSlope = (last.heap - first.heap) / (last.at - first.at)
    console.log(
      `  memory${gc ? ' (after gc)' : ''}: heap ${mb(first.heap)} → ${mb(last.heap)} MB, RSS ${mb(first.rss)} → ${mb(last.rss)} MB from copy ${first.at} to ${last.at}; heap ${(heapSlope / 1024).toFixed(1)} KB per copy — ${Math.abs(heapSlope) < FLAT_BYTES_PER_COPY ? 'flat' : 'GROWING'}`,
    )
    console.log(`    ${memory.map((m) => `${m.at}:${mb(m.heap)}`).join(' ')}`)
    target(
      Math.abs(heapSlope) < FLAT_BYTES_PER_COPY,
      `heap grows ${(heapSlope / 1024).toFixed(1)} KB per copy`,
    )
  }
  // Without a garbage collection before each sample a slope says nothing.
  target(
    memory.length >= 2 && !!gc,
    'memory not measured (needs 100 copies or more and node --expose-gc)',
  )
  if (missed.length) {
    console.error(`archive targets missed: ${missed.join('; ')}`)
    process.exitCode = 1
  }
}

await main()
