/**
 * Licences at the window, as the core's module: every call takes its scope from the applicant
 * session (the holder identified at the window, the matter selected), names only licences listed
 * in that scope, and is written to the access log before its result is returned. The UI cannot
 * widen any of it, whatever it sends.
 */
import { recordAttachment } from './attachments'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  materialProblems,
  type AttachRecord,
  type CopyResult,
  type LibraryCheck,
  type LicenceDocument,
  type LicenceList,
  type LicencePreview,
  type LicenceSeal,
  type LicenceSummary,
  type Matter,
  type MatterCatalogue,
  type Verification,
} from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/ids'
import { shanghaiDate } from '../../shared/time'
import {
  auditResult,
  certificateOf,
  writeFileAtomic,
  type AuditLog,
  type AuditRecord,
} from '../audit'
import type { Staff } from '../auth'
import { catalogueMustBeSigned, inForceStatuses as configuredInForce } from '../config'
import type { CoreContext, CoreModule } from '../context'
import type { Applicant } from '../session'
import { OfflineCache } from './cache'
import { parseCatalogue, parseCatalogueText, storeCatalogue } from './catalogue'
import { isLibraryUnreachable, type LicenceFile } from './client'
import { safeFileName, sha256Hex, sniffFile } from './files'
import { manualApplicant } from './manual'
import { removeExport, writeMaterials } from './materials'
import {
  SEAL_NO_VERIFIER,
  SEAL_NOT_CHECKED_IMAGE,
  SEAL_PENDING,
  type OfdPort,
  type SealCheck,
} from './ofd-port'
import { buildList, inScope, listForMatter, toSummary, type RetrievalContext } from './retrieval'
import { assess } from './verdict'
import type { WireLicence, WireUse } from './wire'
import { ApplicantWorkspace } from './workspace'

export interface LicencesModuleOptions {
  readonly audit: AuditLog
  /** Where materials and annotated copies are written for the business system. */
  readonly exportRoot: string
  /** The OFD module's renderer and seal verifier, once present. */
  readonly ofd?: OfdPort
  readonly now?: () => Date
}

const codeOf = (e: unknown) => (isCounterError(e) ? e.code : 'INTERNAL')

type Scoped = {
  readonly staff: Staff
  readonly applicant: Applicant
  readonly matter: Matter
  readonly ws: ApplicantWorkspace
  readonly base: Omit<AuditRecord, 'result'>
}

export function createLicencesModule(
  ctx: CoreContext,
  options: LicencesModuleOptions,
): CoreModule<'licences' | 'catalogue'> {
  const { audit, exportRoot, ofd } = options
  const now = options.now ?? (() => new Date())
  const client = ctx.library.client
  const inForceStatuses = configuredInForce(ctx.config)
  const cache = new OfflineCache(ctx.config.licences.cache, () => now().getTime())
  const log = ctx.logger.child('licences')
  const retrieval: RetrievalContext = {
    client,
    catalogue: ctx.catalogue,
    inForceStatuses,
    terminalId: ctx.config.terminal.id,
    logger: log,
    now,
  }

  // The workspace belongs to one applicant: a session change (new card, lifted card, 下一位)
  // drops it, and the offline cache keeps only what its policy allows.
  let workspace: ApplicantWorkspace | undefined
  const offEvents = ctx.events.on((event) => {
    if (event !== 'session') return
    if (workspace?.generation !== ctx.session.currentGeneration) {
      workspace = undefined
      cache.applicantChanged()
    }
  })
  const workspaceFor = (applicant: Applicant): ApplicantWorkspace => {
    const generation = ctx.session.currentGeneration
    if (!workspace || workspace.generation !== generation)
      workspace = new ApplicantWorkspace(generation, applicant.code)
    return workspace
  }

  const requireStaff = (): Staff => {
    const staff = ctx.staff.current()
    if (!staff) throw new CounterError('AUTH_REQUIRED')
    return staff
  }

  /** Logs a refusal or failure; the original error goes on to the caller. */
  const fail = (record: Omit<AuditRecord, 'result'>, error: unknown): never => {
    if (!(isCounterError(error) && error.code === 'AUDIT_WRITE_FAILED'))
      audit.append({ ...record, result: auditResult(error) })
    throw error
  }

  /** The scope of a call: signed-in staff, identified holder, selected matter. Refusals are logged. */
  const scoped = (action: AuditRecord['action'], licences: readonly string[] = []): Scoped => {
    // An attempt while nobody is signed in (or the window is locked) is on record too.
    let staff: Staff
    try {
      staff = requireStaff()
    } catch (error) {
      return fail({ action, staff: null, licences }, error)
    }
    let scope
    try {
      scope = ctx.session.scope()
    } catch (error) {
      return fail({ action, staff, licences }, error)
    }
    const { applicant, matter } = scope
    const ws = workspaceFor(applicant)
    return {
      staff,
      applicant,
      matter,
      ws,
      base: {
        action,
        staff,
        holder: { code: applicant.code, typeCode: applicant.holderTypeCode },
        matter: matter.code,
        reason: matter.reasonOfUse,
        businessSerial: ws.businessSerial,
        licences,
      },
    }
  }

  const use = (s: Scoped): WireUse => ({
    useReason: s.matter.reasonOfUse,
    serviceItemCode: s.matter.code,
    ...(s.ws.businessSerial ? { businessSerialNo: s.ws.businessSerial } : {}),
    operator: { name: s.staff.name, code: s.staff.code, role: s.staff.role },
    terminalId: ctx.config.terminal.id,
  })

  const requireListed = (s: Scoped, identifier: string): WireLicence => {
    try {
      return s.ws.require(s.matter.code, identifier)
    } catch (error) {
      return fail(s.base, error)
    }
  }

  const summaryOf = (s: Scoped, wire: WireLicence) =>
    toSummary(
      wire,
      inForceStatuses,
      shanghaiDate(now()),
      ctx.catalogue.licenceType(wire.licenseTypeCode)?.name,
      s.ws.seals.get(wire.licenseIdentifier),
    )

  /** Downloads a file in the first format the library has, and checks it is what it claims. */
  async function download(
    s: Scoped,
    wire: WireLicence,
    formats: readonly ('ofd' | 'png')[],
  ): Promise<LicenceFile> {
    let lastError: unknown
    for (const format of formats) {
      try {
        const file = await client.file({
          licenseIdentifier: wire.licenseIdentifier,
          format,
          ...use(s),
        })
        sniffFile(file.format, file.bytes)
        ctx.library.setStatus('online')
        s.ws.keepFile(file)
        cache.putFile(s.applicant.code, file, now().getTime())
        return file
      } catch (error) {
        if (isLibraryUnreachable(error)) ctx.library.setStatus('offline')
        if (!(isCounterError(error) && error.code === 'LICENCE_FILE_UNAVAILABLE')) throw error
        lastError = error
      }
    }
    throw lastError
  }

  /** The file for a listed licence: already fetched for this applicant, fresh, or cached offline. */
  async function obtainFile(
    s: Scoped,
    wire: WireLicence,
    formats: readonly ('ofd' | 'png')[],
  ): Promise<{ file: LicenceFile; offlineAsOf?: string }> {
    const held = s.ws.file(wire.licenseIdentifier, formats)
    if (held) return { file: held }
    try {
      return { file: await download(s, wire, formats) }
    } catch (error) {
      if (!isLibraryUnreachable(error)) throw error
      const hit = cache.getFile(s.applicant.code, wire.licenseIdentifier, formats)
      if (!hit) throw error
      return { file: hit.value, offlineAsOf: new Date(hit.at).toISOString() }
    }
  }

  /** The seal check a file allows: OFD through the OFD module; images carry no seal. */
  async function checkSeal(file: LicenceFile): Promise<SealCheck> {
    if (file.format !== 'ofd') return { seal: SEAL_NOT_CHECKED_IMAGE, signatures: {} }
    if (!ofd) return { seal: SEAL_NO_VERIFIER, signatures: {} }
    try {
      return await ofd.verify(file.bytes)
    } catch (error) {
      log.warn('seal verification could not read the file', { code: codeOf(error) })
      return {
        seal: {
          state: 'unverifiable',
          reason: isCounterError(error) ? error.message : '文件无法读取',
        },
        signatures: {},
      }
    }
  }

  /** The document and its seal check: an OFD through the OFD module, an image as it is. */
  async function showFile(
    file: LicenceFile,
    known: LicenceSeal | undefined,
  ): Promise<{ document: LicenceDocument; seal: LicenceSeal }> {
    if (file.format === 'ofd') {
      if (!ofd)
        return {
          document: {
            kind: 'unavailable',
            code: 'OFD_NO_RENDERER',
            reason: '本机尚不能显示 OFD 版式文件',
          },
          seal: SEAL_NO_VERIFIER,
        }
      try {
        return { document: await ofd.render(file.bytes), seal: known ?? SEAL_PENDING }
      } catch (error) {
        log.warn('licence file could not be opened as OFD', { code: codeOf(error) })
        const reason = isCounterError(error) ? error.message : '文件无法读取'
        return {
          document: { kind: 'unavailable', code: codeOf(error), reason },
          seal: { state: 'unverifiable', reason },
        }
      }
    }
    return { document: imageDocument(file), seal: SEAL_NOT_CHECKED_IMAGE }
  }

  function imageDocument(file: LicenceFile): LicenceDocument {
    const info = sniffFile(file.format, file.bytes)!
    return {
      kind: 'image',
      mediaType: info.mediaType,
      dataUrl: `data:${info.mediaType};base64,${Buffer.from(file.bytes).toString('base64')}`,
      width: info.width,
      height: info.height,
    }
  }

  const previewFormats = (): ('ofd' | 'png')[] => (ofd ? ['ofd', 'png'] : ['png'])
  const recordSeal = (s: Scoped, id: string, seal: LicenceSeal) => {
    if (seal.state !== 'unchecked') s.ws.seals.set(id, seal)
  }

  /** Seal, library file and information checks, live status: the verdict for one licence. */
  async function verifyListed(s: Scoped, wire: WireLicence): Promise<Verification> {
    const id = wire.licenseIdentifier
    let seal: LicenceSeal
    let signatures: SealCheck['signatures'] = {}
    let file: LicenceFile | undefined
    try {
      file = (await obtainFile(s, wire, ['ofd', 'png'])).file
      const checked = await checkSeal(file)
      seal = checked.seal
      signatures = checked.signatures
    } catch (error) {
      if (isLibraryUnreachable(error))
        seal = { state: 'unchecked', reason: '证照库离线，未能取得文件' }
      // No file, or one that is not what the library claims: nothing whose seal could verify.
      else if (isCounterError(error) && error.code.startsWith('LICENCE_FILE_'))
        seal = { state: 'unverifiable', reason: error.message }
      else throw error
    }
    recordSeal(s, id, seal)
    let reachable = true
    const library: LibraryCheck = { file: 'unknown', info: 'unknown' }
    try {
      if (file) {
        const vf = await client.verifyFile(id, { sm3: file.sm3, size: file.bytes.length })
        library.file = vf.consistent ? 'consistent' : 'inconsistent'
        if (vf.licenseStatus) library.liveStatus = vf.licenseStatus
      }
      const vi = await client.verifyInfo(id, {
        holderIdentityNum: s.applicant.code,
        licenseNumber: wire.licenseNumber,
      })
      library.info = !vi.exists ? 'not-found' : vi.consistent ? 'consistent' : 'inconsistent'
      if (vi.licenseStatus) library.liveStatus = vi.licenseStatus
      ctx.library.setStatus('online')
    } catch (error) {
      if (!isLibraryUnreachable(error)) throw error
      ctx.library.setStatus('offline')
      reachable = false
    }
    if (library.liveStatus) s.ws.updateStatus(id, library.liveStatus)
    // What the library said counts later too: attach refuses a licence it disowned.
    if (reachable) s.ws.library.set(id, { ...library })
    const summary = summaryOf(s, s.ws.require(s.matter.code, id))
    const { verdict, findings } = assess({
      seal,
      library: { ...library, reachable },
      status: summary.status,
      expired: summary.expired,
      identifierCheckOk: summary.identifierCheckOk,
    })
    return {
      identifier: id,
      checkedAt: now().toISOString(),
      seal,
      library,
      status: summary.status,
      expired: summary.expired,
      verdict,
      findings,
      ...(Object.keys(signatures).length ? { signatures } : {}),
    }
  }

  const requireRole = (role: 'supervisor' | 'administrator', action: AuditRecord['action']) => {
    const staff = requireStaff()
    if (staff.role !== role) {
      const error = new CounterError(
        role === 'supervisor' ? 'ROLE_SUPERVISOR_REQUIRED' : 'ROLE_ADMIN_REQUIRED',
      )
      fail({ action, staff }, error)
    }
    return staff
  }

  const putCatalogue = (
    catalogue: MatterCatalogue,
    provenance: Parameters<CoreContext['catalogue']['replace']>[1],
    staff: Staff | null,
  ) => {
    storeCatalogue(ctx.db, catalogue, provenance)
    ctx.catalogue.replace(catalogue, provenance)
    audit.append({
      action: 'catalogue-change',
      staff,
      result: 'ok',
      detail: `${provenance.source} ${catalogue.version} (${catalogue.matters.length} matters)`,
    })
    const info = ctx.catalogue.info()
    ctx.events.emit('catalogue', info)
    return info
  }

  async function reloadFromLibrary(staff: Staff | null) {
    let catalogue: MatterCatalogue
    try {
      catalogue = parseCatalogue(await client.catalogue())
    } catch (error) {
      return fail({ action: 'catalogue-change', staff, detail: 'library' }, error)
    }
    return putCatalogue(
      catalogue,
      {
        source: 'library',
        origin: ctx.config.library?.baseUrl ?? 'sandbox',
        loadedAt: now().toISOString(),
      },
      staff,
    )
  }

  return {
    async start() {
      void ofd
        ?.warm?.()
        .catch((error: unknown) => log.warn('OFD warm-up failed', { code: codeOf(error) }))
      if (ctx.config.catalogue.source !== 'library') return
      try {
        await reloadFromLibrary(null)
      } catch (error) {
        log.warn('catalogue not loaded from the library; keeping the local one', {
          code: codeOf(error),
        })
      }
    },
    async stop() {
      offEvents()
      workspace = undefined
      cache.applicantChanged()
    },
    handlers: {
      licences: {
        capabilities() {
          const staff = ctx.staff.current()
          return {
            staffName: staff?.name ?? null,
            role: staff?.role ?? null,
            enterHolder: staff?.role === 'supervisor',
            audit: staff?.role === 'supervisor',
            editCatalogue: staff?.role === 'administrator',
          }
        },

        async list(): Promise<LicenceList> {
          const s = scoped('list')
          const generation = s.ws.generation
          try {
            const { list, records } = await listForMatter(
              retrieval,
              { code: s.applicant.code, holderTypeCode: s.applicant.holderTypeCode },
              s.matter,
              { name: s.staff.name, code: s.staff.code, role: s.staff.role },
              { businessSerial: s.ws.businessSerial, seals: s.ws.seals },
            )
            ctx.library.setStatus('online')
            const ids = records.map((r) => r.licenseIdentifier)
            if (ctx.session.currentGeneration !== generation) {
              audit.append({
                ...s.base,
                licences: ids,
                result: 'ok',
                detail: 'discarded: applicant changed',
              })
              throw new CounterError('SCOPE_APPLICANT_CHANGED')
            }
            s.ws.remember(s.matter.code, records)
            // Stamped with the list's own fetch time, so offline it reads "数据截至" that moment.
            cache.putList(s.applicant.code, s.matter.code, records, Date.parse(list.fetchedAt))
            audit.append({
              ...s.base,
              licences: ids,
              result: 'ok',
              detail: `${ids.length} licences`,
            })
            return list
          } catch (error) {
            if (isCounterError(error) && error.code === 'SCOPE_APPLICANT_CHANGED') throw error
            if (isLibraryUnreachable(error)) {
              ctx.library.setStatus('offline')
              const hit = cache.getList(s.applicant.code, s.matter.code)
              if (hit && ctx.session.currentGeneration === generation) {
                s.ws.remember(s.matter.code, hit.value)
                const asOf = new Date(hit.at)
                const list = buildList(retrieval, hit.value, s.matter, asOf, s.ws.seals)
                audit.append({
                  ...s.base,
                  licences: hit.value.map((r) => r.licenseIdentifier),
                  result: 'cache',
                  detail: `offline (${codeOf(error)}); data as of ${asOf.toISOString()}`,
                })
                return { ...list, offline: { asOf: asOf.toISOString(), reason: codeOf(error) } }
              }
            }
            return fail(s.base, error)
          }
        },

        async preview(identifier): Promise<LicencePreview> {
          const s = scoped('preview', [identifier])
          const wire = requireListed(s, identifier)
          let document: LicenceDocument
          let seal: LicenceSeal = s.ws.seals.get(identifier) ?? {
            state: 'unchecked',
            reason: '未能取得证照文件',
          }
          let format: LicencePreview['format'] = 'none'
          let annotation: LicenceFile['annotation']
          let offlineAsOf: string | undefined
          let result = 'ok'
          try {
            const got = await obtainFile(s, wire, previewFormats())
            offlineAsOf = got.offlineAsOf
            format = got.file.format
            annotation = got.file.annotation
            const rendered = s.ws.documents.get(`${identifier}|${got.file.sm3}`)
            const shown = rendered
              ? {
                  document: rendered,
                  seal:
                    got.file.format !== 'ofd'
                      ? SEAL_NOT_CHECKED_IMAGE
                      : (s.ws.seals.get(identifier) ?? SEAL_PENDING),
                }
              : await showFile(got.file, s.ws.seals.get(identifier))
            document = shown.document
            seal = shown.seal
            if (document.kind !== 'unavailable')
              s.ws.documents.set(`${identifier}|${got.file.sm3}`, document)
            if (document.kind === 'unavailable') result = `failed:${document.code}`
            else if (offlineAsOf) result = 'cache'
          } catch (error) {
            // Something unforeseen (not a CounterError) is on record too, then goes on up.
            if (!isCounterError(error) || error.code === 'AUDIT_WRITE_FAILED')
              return fail({ ...s.base, detail: `format ${format}` }, error)
            if (error.code === 'LICENCE_FILE_INVALID' || error.code === 'LICENCE_FILE_MISMATCH')
              seal = { state: 'unverifiable', reason: error.message }
            document = { kind: 'unavailable', code: error.code, reason: error.message }
            result = auditResult(error)
          }
          recordSeal(s, identifier, seal)
          audit.append({ ...s.base, result, detail: `format ${format}` })
          return {
            summary: summaryOf(s, wire),
            faceFields: wire.surfaceData ?? [],
            holderIdentityMasked: maskIdNumber(wire.holderIdentityNum),
            ...(wire.regionCode ? { regionCode: wire.regionCode } : {}),
            document,
            format,
            ...(annotation ? { annotation } : {}),
            seal,
            ...(offlineAsOf ? { offline: { asOf: offlineAsOf } } : {}),
            fetchedAt: now().toISOString(),
          }
        },

        async verify(identifier): Promise<Verification> {
          const s = scoped('verify', [identifier])
          const wire = requireListed(s, identifier)
          try {
            const v = await verifyListed(s, wire)
            audit.append({
              ...s.base,
              result: 'ok',
              detail: `verdict ${v.verdict}; seal ${v.seal.state}; file ${v.library.file}; info ${v.library.info}`,
            })
            return v
          } catch (error) {
            return fail(s.base, error)
          }
        },

        async copy(identifier): Promise<CopyResult> {
          const s = scoped('download', [identifier])
          const wire = requireListed(s, identifier)
          try {
            // An annotated copy is made for this use: always a fresh one from the library.
            const file = await download(s, wire, ['ofd', 'png'])
            const savedAt = now()
            const summary = summaryOf(s, wire)
            const ext = file.format === 'jpeg' ? 'jpg' : file.format
            // Only what the library annotated for this use is a 加注件; a plain image is named
            // for what it is, so nobody hands it on as one.
            const annotated = !!file.annotation
            const label = annotated ? '加注件' : '未加注副本'
            const name = safeFileName(`${summary.typeName}-${summary.number}-${label}.${ext}`)
            const relative = `copies/${shanghaiDate(savedAt)}/${savedAt.getTime()}-${name}`
            const target = join(exportRoot, relative)
            try {
              writeFileAtomic(target, [file.bytes])
            } catch (cause) {
              throw new CounterError('COPY_WRITE_FAILED', { cause, detail: String(cause) })
            }
            try {
              audit.append({
                ...s.base,
                result: 'ok',
                detail: `${file.format} ${file.bytes.length} bytes; ${annotated ? `annotated, expires ${file.annotation!.expiresAt}` : 'not annotated'}`,
              })
            } catch (error) {
              // A copy the log does not know of must not stay in the export folder.
              rmSync(target, { force: true })
              throw error
            }
            return {
              identifier,
              annotated,
              fileName: name,
              bytes: file.bytes.length,
              sha256: sha256Hex(file.bytes),
              ...(file.annotation ? { annotation: file.annotation } : {}),
              savedAt: savedAt.toISOString(),
              path: relative,
            }
          } catch (error) {
            return fail(s.base, error)
          }
        },

        setSerial(serial) {
          requireStaff()
          workspaceFor(ctx.session.holder()).businessSerial = serial
          return null
        },

        async attach({ businessSerial, identifiers }): Promise<AttachRecord> {
          const unique = [...new Set(identifiers)]
          const s = scoped('attach', unique)
          const base = { ...s.base, businessSerial }
          const wires = unique.map((id) => {
            try {
              return s.ws.require(s.matter.code, id)
            } catch (error) {
              return fail(base, error)
            }
          })
          /** The refusal for the licences that may not be materials, naming each and why. */
          const refusal = (checked: readonly { summary: LicenceSummary; seal: LicenceSeal }[]) => {
            const unusable = checked
              .map(({ summary, seal }) => ({
                summary,
                problems: materialProblems({
                  seal,
                  status: summary.status,
                  expired: summary.expired,
                  library: s.ws.library.get(summary.identifier),
                }),
              }))
              .filter((x) => x.problems.length > 0)
            if (unusable.length === 0) return undefined
            return {
              error: new CounterError('LICENCE_NOT_USABLE', {
                params: {
                  licences: unusable
                    .map((x) => `${x.summary.typeName} ${x.summary.number}`)
                    .join('、'),
                },
              }),
              detail: unusable
                .map((x) => `${x.summary.identifier}: ${x.problems.join(' ')}`)
                .join('; '),
            }
          }
          // What is already known refuses at once, before anything is fetched.
          const known = refusal(
            wires.map((w) => {
              const summary = summaryOf(s, w)
              return { summary, seal: summary.seal ?? SEAL_NO_VERIFIER }
            }),
          )
          if (known) fail({ ...base, detail: known.detail }, known.error)
          let exported: ReturnType<typeof writeMaterials> | undefined
          let refusedDetail: string | undefined
          try {
            const items = []
            for (const wire of wires) {
              const { file } = await obtainFile(s, wire, ['ofd', 'png'])
              const seal = s.ws.seals.get(wire.licenseIdentifier) ?? (await checkSeal(file)).seal
              recordSeal(s, wire.licenseIdentifier, seal)
              items.push({ summary: summaryOf(s, wire), file, seal })
            }
            // A licence never verified here was checked just now: that check decides as well.
            const found = refusal(items)
            if (found) {
              refusedDetail = found.detail
              throw found.error
            }
            const createdAt = now()
            try {
              exported = writeMaterials({
                root: exportRoot,
                businessSerial,
                matter: s.matter,
                holder: {
                  masked: maskIdNumber(s.applicant.code),
                  typeCode: s.applicant.holderTypeCode,
                  name: s.applicant.name,
                },
                terminal: ctx.config.terminal.id,
                staff: { name: s.staff.name, cert: certificateOf(s.staff) },
                createdAt,
                items,
              })
            } catch (cause) {
              throw new CounterError('ATTACH_EXPORT_FAILED', { cause, detail: String(cause) })
            }
            const done = exported
            const record = ctx.db.transaction(() => {
              const id = recordAttachment(ctx.db, {
                businessSerial,
                matterCode: s.matter.code,
                holder: maskIdNumber(s.applicant.code),
                staffCert: certificateOf(s.staff),
                terminal: ctx.config.terminal.id,
                createdAt: createdAt.toISOString(),
                exportPath: done.exportPath,
                items: done.items,
              })
              audit.append({
                ...base,
                result: 'ok',
                detail: `${done.items.length} files → ${done.exportPath}`,
              })
              return id
            })()
            s.ws.businessSerial = businessSerial
            return {
              id: record,
              businessSerial,
              matterCode: s.matter.code,
              createdAt: createdAt.toISOString(),
              items: done.items,
              exportPath: done.exportPath,
            }
          } catch (error) {
            if (exported) removeExport(exportRoot, exported.exportPath)
            return fail(refusedDetail ? { ...base, detail: refusedDetail } : base, error)
          }
        },

        async qr(
          content,
        ): Promise<{ summary: ReturnType<typeof summaryOf>; verification: Verification }> {
          const s = scoped('qr-lookup')
          let wire: WireLicence
          try {
            wire = await client.byQr(content, use(s))
            ctx.library.setStatus('online')
          } catch (error) {
            if (isLibraryUnreachable(error)) ctx.library.setStatus('offline')
            return fail(s.base, error)
          }
          const base = { ...s.base, licences: [wire.licenseIdentifier] }
          if (
            !inScope(
              wire,
              { code: s.applicant.code, holderTypeCode: s.applicant.holderTypeCode },
              s.matter,
            )
          )
            fail(base, new CounterError('SCOPE_QR_OTHER_HOLDER'))
          s.ws.remember(s.matter.code, [wire])
          try {
            const verification = await verifyListed(s, wire)
            audit.append({ ...base, result: 'ok', detail: `verdict ${verification.verdict}` })
            return { summary: summaryOf(s, wire), verification }
          } catch (error) {
            return fail(base, error)
          }
        },

        enterHolder(input) {
          const staff = requireRole('supervisor', 'manual-holder')
          let applicant: Applicant
          try {
            applicant = manualApplicant(input, staff, now())
          } catch (error) {
            return fail({ action: 'manual-holder', staff, reason: input.reason }, error)
          }
          audit.append({
            action: 'manual-holder',
            staff,
            holder: { code: applicant.code, typeCode: applicant.holderTypeCode },
            reason: input.reason,
            result: 'ok',
            detail: '审核人员手工录入持证主体',
          })
          ctx.session.identify(applicant)
          return ctx.session.view()
        },

        async qrSamples() {
          if (!ctx.training) throw new CounterError('NOT_IN_TRAINING')
          return client.qrSamples(ctx.session.holder().code)
        },
      },

      catalogue: {
        info: () => ctx.catalogue.info(),
        get: () => ctx.catalogue.catalogue(),
        async reload() {
          const staff = requireRole('administrator', 'catalogue-change')
          return reloadFromLibrary(staff)
        },
        importSigned(text) {
          const staff = requireRole('administrator', 'catalogue-change')
          let parsed
          try {
            parsed = parseCatalogueText(text, {
              requireSignature: catalogueMustBeSigned(ctx.config),
              trustedKeys: ctx.config.catalogue.trustedKeys,
            })
          } catch (error) {
            return fail({ action: 'catalogue-change', staff, detail: 'import' }, error)
          }
          return putCatalogue(
            parsed.catalogue,
            {
              source: parsed.signer ? 'signed-file' : 'file',
              origin: '管理员导入',
              loadedAt: now().toISOString(),
              ...(parsed.signer ? { signer: parsed.signer } : {}),
            },
            staff,
          )
        },
        save(edited) {
          const staff = requireRole('administrator', 'catalogue-change')
          let catalogue: MatterCatalogue
          try {
            catalogue = parseCatalogue(edited)
          } catch (error) {
            return fail({ action: 'catalogue-change', staff, detail: 'edit' }, error)
          }
          const base = ctx.catalogue.version.replace(/\+edit\.\d+$/, '')
          const stamp = now().toISOString().replace(/\D/g, '').slice(0, 12)
          if (catalogue.version === ctx.catalogue.version || catalogue.version === base)
            catalogue = { ...catalogue, version: `${base}+edit.${stamp}` }
          return putCatalogue(
            catalogue,
            {
              source: 'edited',
              origin: '本终端编辑',
              loadedAt: now().toISOString(),
              editedBy: staff.name,
            },
            staff,
          )
        },
      },
    },
  }
}
