/**
 * The archive domain's part of the core: supervisors only. Builds the service from the core's
 * context; the Electron shell supplies the printing port, the core the seal verifier.
 */
import { CounterError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/ids'
import type { AuditLog } from '../audit'
import { inForceStatuses, type Config } from '../config'
import type { CoreContext, CoreModule } from '../context'
import { verifyOfd } from '../ofd'
import type { ArchivePerson } from './compose'
import type { SealCheck } from './licence-file'
import type { PrintingPort } from './printing'
import type { KeySealer } from './register'
import { ArchiveService, type ArchiveServiceOptions } from './service'

export interface ArchiveModuleOptions {
  /** The licence module's export root: materials are read from it, archive copies go beside. */
  readonly exportRoot: string
  readonly audit?: AuditLog
  /** DER certificates of the seal roots this terminal trusts (the licence module's). */
  readonly trust?: () => readonly Uint8Array[]
  /** Overrides the OFD verifier built from `trust` (tests). */
  readonly verifySeals?: SealCheck
  readonly printing?: PrintingPort
  /** The library's address when it is not configured (the training sandbox's). */
  readonly libraryUrl?: string
  /** The app's data key, to keep the QR signing key sealed (the issuance sealer). */
  readonly sealer?: () => KeySealer | undefined
}

/**
 * What the configuration decides for the archive service, alike in the app and the CLI: the
 * terminal, the archive settings, the library statuses that count as in force, and the largest
 * licence file read (the licence module's limit).
 */
export function configuredArchive(
  config: Config,
): Pick<ArchiveServiceOptions, 'terminal' | 'settings' | 'inForceStatuses' | 'maxFileBytes'> {
  const a = config.archive
  return {
    terminal: config.terminal,
    settings: {
      ...(a.outputDir ? { outputDir: a.outputDir } : {}),
      extraFonts: a.extraFonts,
      systemFonts: a.systemFonts,
      qr: {
        ...(a.qr.verifyUrl ? { verifyUrl: a.qr.verifyUrl } : {}),
        validDays: a.qr.validDays,
        ...(a.qr.privateKey ? { privateKey: a.qr.privateKey } : {}),
      },
    },
    inForceStatuses: inForceStatuses(config),
    maxFileBytes: config.licences.maxFileMb * 1024 * 1024,
  }
}

export function createArchiveModule(
  ctx: CoreContext,
  options: ArchiveModuleOptions,
): CoreModule<'archive'> & { readonly service: ArchiveService } {
  const { trust } = options
  const verifySeals: SealCheck | undefined =
    options.verifySeals ??
    (trust && ((doc) => verifyOfd(doc, { trust: { certificates: [...trust()] } })))
  const libraryUrl = ctx.config.library?.baseUrl ?? options.libraryUrl
  const service = new ArchiveService({
    db: ctx.db,
    ...configuredArchive(ctx.config),
    resourcesDir: ctx.resourcesDir,
    exportRoot: options.exportRoot,
    library: ctx.library.client,
    ...(libraryUrl ? { libraryUrl } : {}),
    matters: () => ctx.catalogue.matters(),
    ...(verifySeals ? { verifySeals } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.printing ? { printing: options.printing } : {}),
    logger: ctx.logger.child('archive'),
    onBatch: (view) => ctx.events.emit('archive', view),
    ...(options.sealer ? { sealer: options.sealer } : {}),
  })

  const supervisor = (): ArchivePerson => {
    const staff = ctx.staff.current()
    if (!staff) throw new CounterError('AUTH_REQUIRED')
    if (staff.role !== 'supervisor') throw new CounterError('ROLE_SUPERVISOR_REQUIRED')
    return {
      name: staff.name,
      code: staff.idNumberMasked ?? maskIdNumber(staff.code),
      role: staff.role,
      operatorCode: staff.code,
    }
  }

  return {
    service,
    handlers: {
      archive: {
        candidates(query) {
          supervisor()
          return service.candidates(query)
        },
        preview(request) {
          return service.preview(request, supervisor())
        },
        start(spec) {
          return service.startBatch(spec, supervisor())
        },
        cancel(id) {
          supervisor()
          return service.batches.cancel(id)
        },
        resume(id) {
          return service.batches.resume(id, supervisor())
        },
        batches() {
          supervisor()
          return service.batches.list()
        },
        register(query) {
          supervisor()
          return service.registerEntries(query)
        },
        printers() {
          supervisor()
          return service.printers()
        },
        printFile({ batchId, path, mode, printer }) {
          supervisor()
          return service.printFile(batchId, path, mode, printer)
        },
        verifyQr(content) {
          supervisor()
          return service.verifyQr(content)
        },
      },
    },
    async stop() {
      await service.batches.shutdown()
    },
  }
}
