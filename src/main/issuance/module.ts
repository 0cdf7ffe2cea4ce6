/**
 * The issuance domain in the core: the catalogue's local copy, the sealer for personal data, the
 * outbox, and the form's handlers. The holder comes from the applicant session; the OFD writer
 * and signer are injected (see documents.ts).
 */
import type { CoreContext, CoreModule } from '../context'
import { BulkIssuance } from './bulk'
import { createSealer, resolveDataKey, type Sealer } from './data-key'
import type { IssuanceDocuments } from './documents'
import { createOfdDocuments, type OfdDocumentsOptions } from './ofd-documents'
import { OutboxStore } from './outbox'
import { IssuanceService, type DeadlinePolicy } from './service'
import { createTemplateStore, type TemplateStore } from './templates'

export interface IssuanceModuleOptions {
  readonly deadlines: DeadlinePolicy
  /** Produces and signs the OFD; by default the OFD module's writer and signer. */
  readonly documents?: IssuanceDocuments
  /** The training PKI, for signing with the training seal in training mode. */
  readonly trainingSealKit?: OfdDocumentsOptions['trainingSealKit']
  /** The unit's seal on a CA token, and the roots to check what it signs against. */
  readonly unitSeal?: OfdDocumentsOptions['unitSeal']
  readonly sealRoots?: OfdDocumentsOptions['sealRoots']
  /** The data key from the shell (safeStorage); else config or COUNTERDESK_DATA_KEY. */
  readonly dataKey?: Uint8Array
  /** Called after a change was queued. */
  readonly queued?: () => void
}

export interface IssuanceModule extends CoreModule<'issuance'> {
  readonly service: IssuanceService
  readonly bulk: BulkIssuance
  readonly outbox: OutboxStore
  readonly templates: TemplateStore
  readonly sealer: Sealer
  /** Who to tell when something is queued (the pusher, once it exists). */
  onQueued(listener: () => void): void
}

export function createIssuanceModule(ctx: CoreContext, o: IssuanceModuleOptions): IssuanceModule {
  const logger = ctx.logger.child('issuance')
  const sealer = createSealer(
    resolveDataKey({
      ...(o.dataKey ? { provided: o.dataKey } : {}),
      ...(ctx.config.issuance.dataKey ? { configured: ctx.config.issuance.dataKey } : {}),
      ...(process.env.COUNTERDESK_DATA_KEY ? { env: process.env.COUNTERDESK_DATA_KEY } : {}),
      training: ctx.training,
      dataDir: ctx.dataDir,
    }),
  )
  if (!sealer.available)
    logger.warn('no data key: issuing and pushing are disabled until one is configured')
  const templates = createTemplateStore(ctx.db, logger.child('catalogue'))
  const outbox = new OutboxStore(ctx.db, sealer)
  const listeners: (() => void)[] = []
  if (o.queued) listeners.push(o.queued)
  const currentApplicant = () => {
    const generation = ctx.session.currentGeneration
    try {
      return { applicant: ctx.session.holder(), generation }
    } catch {
      return { applicant: undefined, generation }
    }
  }
  const documents =
    o.documents ??
    createOfdDocuments({
      resourcesDir: ctx.resourcesDir,
      logger: logger.child('ofd'),
      unit: { name: ctx.config.terminal.unitName, code: ctx.config.terminal.unitCode },
      training: ctx.training,
      ...(o.trainingSealKit ? { trainingSealKit: o.trainingSealKit } : {}),
      ...(o.unitSeal ? { unitSeal: o.unitSeal } : {}),
      ...(o.sealRoots ? { sealRoots: o.sealRoots } : {}),
    })
  const issuer = {
    name: ctx.config.terminal.unitName,
    code: ctx.config.terminal.unitCode,
    region: ctx.config.terminal.region,
    terminalId: ctx.config.terminal.id,
  }
  const service = new IssuanceService({
    db: ctx.db,
    templates,
    outbox,
    sealer,
    documents,
    deadlines: o.deadlines,
    issuer,
    logger,
    applicant: currentApplicant,
    staff: () => ctx.staff.current(),
    queued: () => listeners.forEach((l) => l()),
  })
  const bulk = new BulkIssuance({
    db: ctx.db,
    templates,
    sealer,
    documents,
    service,
    issuer,
    logger: logger.child('bulk'),
    staff: () => ctx.staff.current(),
    onProgress: (view) => ctx.events.emit('issuance.bulkProgress', view),
    queued: () => listeners.forEach((l) => l()),
  })
  const fileBytes = (content: string) => new Uint8Array(Buffer.from(content, 'base64'))
  let offEvents: (() => void) | undefined

  return {
    service,
    bulk,
    outbox,
    templates,
    sealer,
    onQueued: (l) => void listeners.push(l),
    handlers: {
      issuance: {
        types: () => service.types(),
        draft: (typeCode) => service.draft(typeCode),
        validate: (typeCode, values) => service.validate(typeCode, values),
        signers: () => service.signers(),
        preview: (request) => service.preview(request),
        sign: (draftId, signer) => service.sign(draftId, signer),
        issued: (limit) => service.issued(limit),
        changeStatus: (identifier, request) => service.changeStatus(identifier, request),
        bulkImport: (typeCode, file) =>
          bulk.import(typeCode, { fileName: file.fileName, bytes: fileBytes(file.content) }),
        bulkDetail: (batchNo) => bulk.detail(batchNo),
        bulkRun: (batchNo, signer) => bulk.run(batchNo, signer),
        bulkCancel: (batchNo) => bulk.cancel(batchNo),
        bulkClose: (batchNo) => bulk.close(batchNo),
        bulkBatches: (limit) => bulk.list(limit),
      },
    },
    async start() {
      // Drafts belong to one applicant: a new one (or none) drops them.
      offEvents = ctx.events.on((event) => {
        if (event === 'session') service.forgetDrafts()
      })
    },
    async stop() {
      offEvents?.()
      // A batch in progress stops after the licence in hand and shows as interrupted next time.
      await bulk.shutdown()
    },
  }
}
