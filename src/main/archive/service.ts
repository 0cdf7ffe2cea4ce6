/**
 * The archive domain's service: what the app's handlers and the CLI call. It owns the register,
 * the copy maker and the batch runner, and keeps fonts (tens of MB parsed) loaded once.
 */
import { readFileSync } from 'node:fs'
import { join, normalize, relative, sep } from 'node:path'
import type {
  ArchiveBusiness,
  ArchivePreview,
  ArchivePrint,
  ArchiveQuery,
  BatchSpec,
  BatchView,
  Matter,
  Orientation,
  Paper,
  PreviewRequest,
  Printers,
  PrintMode,
  QrCheckView,
  RegisterQuery,
} from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import { shanghaiDate } from '../../shared/time'
import type { AuditRecord } from '../audit'
import type { Db } from '../db'
import type { LibraryClient } from '../licences'
import type { Logger } from '../log'
import { BatchRunner, type PlannedItem } from './batch'
import { findBusinesses } from './businesses'
import type { ArchivePerson } from './compose'
import { CopyMaker, type CopySource } from './copies'
import { createArchiveFonts, type ArchiveFonts } from './fonts'
import type { SealCheck } from './licence-file'
import { ArchivePdf } from './pdf'
import { mostlyLandscape, pdfPageSizes, type PrintingPort } from './printing'
import { judgeQr, keyFingerprint, type ArchiveKey, type RegisterLookup } from './qr'
import { ArchiveRegister, type KeySealer } from './register'
import { verificationLine } from './verification'
import { AtomicOutput } from './output'

export interface ArchiveSettings {
  /** Where archive PDFs are written; default `<exports>/archive`. */
  readonly outputDir?: string
  readonly extraFonts: readonly string[]
  readonly systemFonts: boolean
  readonly qr: {
    readonly verifyUrl?: string
    readonly validDays: number
    readonly privateKey?: string
  }
}

export interface ArchiveServiceOptions {
  readonly db: Db
  readonly terminal: { readonly id: string; readonly unitName: string; readonly unitCode: string }
  readonly settings: ArchiveSettings
  readonly inForceStatuses: readonly string[]
  readonly resourcesDir: string
  /** Where the licence module exports materials (and the default parent of the archive folder). */
  readonly exportRoot: string
  readonly library?: LibraryClient
  /** The library's base URL, for the default QR verification address. */
  readonly libraryUrl?: string
  readonly matters: () => readonly Matter[]
  readonly verifySeals?: SealCheck
  readonly audit?: { append(record: AuditRecord): unknown }
  readonly printing?: PrintingPort
  readonly logger: Logger
  readonly maxFileBytes?: number
  readonly onBatch?: (view: BatchView) => void
  readonly now?: () => Date
  /** Fonts already loaded (the benchmark shares one set across services). */
  readonly fonts?: ArchiveFonts
  /** Seals the office's QR signing key at rest: the app's data key (the issuance sealer). */
  readonly sealer?: () => KeySealer | undefined
}

const SANDBOX_VERIFY_URL = 'https://archive.sandbox.invalid/v1/verify'

export class ArchiveService {
  readonly register: ArchiveRegister
  readonly copies: CopyMaker
  readonly batches: BatchRunner
  readonly outputDir: string
  private loadedFonts: ArchiveFonts | undefined
  private signing: ArchiveKey | undefined
  private readonly now: () => Date

  constructor(private readonly options: ArchiveServiceOptions) {
    this.now = options.now ?? (() => new Date())
    this.loadedFonts = options.fonts
    this.outputDir = options.settings.outputDir ?? join(options.exportRoot, 'archive')
    this.register = new ArchiveRegister(options.db, options.terminal.id, this.now)
    const verifyUrl =
      options.settings.qr.verifyUrl ??
      (options.libraryUrl
        ? `${options.libraryUrl.replace(/\/+$/, '')}/archive/v1/verify`
        : SANDBOX_VERIFY_URL)
    this.copies = new CopyMaker({
      db: options.db,
      register: this.register,
      exportRoot: options.exportRoot,
      fonts: () => this.fonts(),
      terminal: options.terminal,
      inForceStatuses: options.inForceStatuses,
      ...(options.library ? { library: options.library } : {}),
      matters: options.matters,
      ...(options.verifySeals ? { verifySeals: options.verifySeals } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
      logger: options.logger,
      maxFileBytes: options.maxFileBytes ?? 50 * 1024 * 1024,
      qr: { verifyUrl, validDays: options.settings.qr.validDays },
      fingerprint: () => keyFingerprint(this.key().keys.publicKey),
      now: this.now,
    })
    this.batches = new BatchRunner({
      db: options.db,
      register: this.register,
      copies: this.copies,
      fonts: () => this.fonts(),
      key: () => this.key(),
      outputDir: this.outputDir,
      ...(options.printing ? { printing: options.printing } : {}),
      logger: options.logger,
      now: this.now,
      ...(options.onBatch ? { onProgress: options.onBatch } : {}),
    })
  }

  fonts(): ArchiveFonts {
    this.loadedFonts ??= createArchiveFonts({
      resourcesDir: this.options.resourcesDir,
      extraFonts: this.options.settings.extraFonts,
      systemFonts: this.options.settings.systemFonts,
    })
    return this.loadedFonts
  }

  key(): ArchiveKey {
    if (!this.signing) {
      const configured = this.options.settings.qr.privateKey
      const sealer = this.options.sealer?.()
      this.signing = this.register.signingKey(configured, sealer)
      if (!configured && !sealer?.available && this.register.keyStorage() === 'plain')
        this.options.logger.warn(
          'archive QR key is stored unencrypted (from an older version): configure a data key to seal it',
        )
    }
    return this.signing
  }

  /** Businesses (with their licences) that match a supervisor's selection. */
  candidates(query: ArchiveQuery): ArchiveBusiness[] {
    return findBusinesses(
      this.options.db,
      this.options.exportRoot,
      query,
      this.options.matters(),
    ).map((b) => ({
      businessSerial: b.businessSerial,
      matterCode: b.matterCode,
      matterName: b.matterName,
      at: b.at,
      holder: b.holder,
      items: b.licences.map((l) => {
        const copy = this.register.copy(l.identifier, b.businessSerial)
        return {
          identifier: l.identifier,
          typeName: l.typeName,
          number: l.number,
          localFile: !!l.file,
          ...(copy ? { archiveNo: copy.archiveNo } : {}),
          prints: copy ? this.register.printCount(copy.archiveNo) : 0,
        }
      }),
    }))
  }

  /** The archive pages as they would print, without giving a number. */
  async preview(request: PreviewRequest, actor: ArchivePerson): Promise<ArchivePreview> {
    const source: CopySource = {
      kind: 'identifier',
      identifier: request.item.identifier,
      ...(request.item.businessSerial ? { businessSerial: request.item.businessSerial } : {}),
    }
    const copy = await this.copies.resolve(source, actor)
    const existing = this.register.copy(copy.sourceIdentifier, copy.businessSerial)
    const first = existing ? this.register.firstPrint(existing.archiveNo) : undefined
    const pages = this.copies.pages(
      copy,
      actor,
      { paper: request.paper, orientation: request.orientation },
      undefined,
      existing
        ? {
            archiveNo: existing.archiveNo,
            printNo: (first?.prints ?? 0) + 1,
            ...(first ? { firstPrintedAt: first.printedAt } : {}),
          }
        : undefined,
    )
    return {
      pages,
      verification: copy.verification,
      ...(existing ? { archiveNo: existing.archiveNo } : {}),
      prints: existing ? this.register.printCount(existing.archiveNo) : 0,
      warnings: [...new Set(copy.prepared.pages.flatMap((p) => p.warnings))].slice(0, 20),
    }
  }

  /** Plans and starts a batch. */
  startBatch(spec: BatchSpec, actor: ArchivePerson): BatchView {
    const items: PlannedItem[] = []
    const group = (serial: string | undefined, identifier: string) =>
      spec.output === 'combined'
        ? 'combined'
        : serial
          ? `serial:${serial}`
          : `licence:${identifier}`
    if (spec.query) {
      for (const b of findBusinesses(
        this.options.db,
        this.options.exportRoot,
        spec.query,
        this.options.matters(),
      ))
        for (const l of b.licences)
          items.push({
            source: {
              kind: 'identifier',
              identifier: l.identifier,
              businessSerial: b.businessSerial,
            },
            group: group(b.businessSerial, l.identifier),
          })
    }
    for (const it of spec.items ?? []) {
      if (
        items.some(
          (x) =>
            x.source.kind === 'identifier' &&
            x.source.identifier === it.identifier &&
            x.source.businessSerial === it.businessSerial,
        )
      )
        continue
      items.push({
        source: {
          kind: 'identifier',
          identifier: it.identifier,
          ...(it.businessSerial ? { businessSerial: it.businessSerial } : {}),
        },
        group: group(it.businessSerial, it.identifier),
      })
    }
    return this.batches.start(spec, items, actor)
  }

  /**
   * One copy straight to a file (the CLI's `archive print`): numbered and registered like any
   * other, the file written whole or not at all.
   */
  async printToFile(
    source: CopySource,
    out: string,
    layout: { readonly paper: Paper; readonly orientation: Orientation },
    actor: ArchivePerson,
  ): Promise<{
    archiveNo: string
    printNo: number
    reprint: boolean
    pages: number
    bytes: number
    verification: string
  }> {
    const copy = await this.copies.resolve(source, actor)
    const started = this.copies.beginPrint(copy, actor, '', layout.paper)
    const output = new AtomicOutput(out)
    try {
      const pages = this.copies.pages(copy, actor, layout, { started, key: this.key() })
      const pdf = new ArchivePdf(
        this.fonts(),
        {
          title: `电子证照存档副本 ${started.archiveNo}`,
          author: `${actor.name}（${actor.code}）`,
        },
        output.sink,
      )
      for (const p of pages) pdf.addPage(p)
      await pdf.end()
      const written = await output.commit()
      this.register.completePrints([started.id], this.describeOutput(out), written.sha256)
      return {
        archiveNo: started.archiveNo,
        printNo: started.printNo,
        reprint: started.reprint,
        pages: pages.length,
        bytes: written.bytes,
        verification: verificationLine(copy.verification),
      }
    } catch (error) {
      output.abort()
      this.register.cancelPrints([started.id])
      throw error
    }
  }

  /** How the register names a file: relative to the archive folder when inside it. */
  private describeOutput(path: string): string {
    const base = normalize(this.outputDir + sep)
    const full = normalize(path)
    return full.startsWith(base) ? relative(this.outputDir, full).split(sep).join('/') : full
  }

  registerEntries(query: RegisterQuery): ArchivePrint[] {
    return this.register.prints(query)
  }

  async printers(): Promise<Printers> {
    const port = this.options.printing
    if (!port) return { available: false, printers: [] }
    return { available: true, printers: await port.printers() }
  }

  /** Sends a file a batch made to a printer (again). */
  async printFile(
    batchId: string,
    path: string,
    mode: PrintMode,
    printer: string | undefined,
  ): Promise<{ printed: true }> {
    const port = this.options.printing
    if (!port) throw new CounterError('ARCHIVE_PRINTING_UNAVAILABLE')
    const view = this.batches.view(batchId)
    const file = view.files.find((f) => f.path === path)
    if (!file) throw new CounterError('ARCHIVE_OUTPUT_NOT_FOUND', { params: { file: path } })
    const full = join(this.outputDir, file.path)
    let pdf: Buffer
    try {
      pdf = readFileSync(full)
    } catch (cause) {
      throw new CounterError('ARCHIVE_OUTPUT_NOT_FOUND', { params: { file: path }, cause })
    }
    const spec = this.batches.spec(batchId)
    // Turned as the batch turned it when it printed the file: by the file's own pages.
    const pages = pdfPageSizes(pdf)
    await port.print({
      pdf,
      title: path,
      paper: spec.paper,
      landscape: pages.length ? mostlyLandscape(pages) : spec.orientation === 'landscape',
      mode,
      ...(printer ? { printer } : {}),
    })
    if (printer) this.register.notePrinter(batchId, file.path, printer)
    return { printed: true }
  }

  /** The public keys this office's copies were signed with, by key id (no private key needed). */
  publicKeys(): Map<string, Uint8Array> {
    const keys = this.register.publicKeys()
    const configured = this.options.settings.qr.privateKey
    if (configured) {
      const own = this.register.signingKey(configured)
      keys.set(own.kid, own.keys.publicKey)
    }
    return keys
  }

  /** Checks an archive QR code against this office's keys and register. */
  verifyQr(content: string, extraKeys: ReadonlyMap<string, Uint8Array> = new Map()): QrCheckView {
    const keys = new Map([...this.publicKeys(), ...extraKeys])
    return judgeQr(content, keys, shanghaiDate(this.now()), this.register)
  }

  /**
   * What a verification service needs to check this office's copies the way `verifyQr` does:
   * the public keys and the register (the training sandbox library is given this).
   */
  verification(): { publicKeys: () => Map<string, Uint8Array>; register: RegisterLookup } {
    return { publicKeys: () => this.publicKeys(), register: this.register }
  }
}
