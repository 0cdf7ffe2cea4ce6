/**
 * One archive copy from start to pages: find the licence file (the business's materials export
 * on this terminal, the library, or a local file), render it, check its seal and its status at
 * the library, and lay out the archive pages under a number from the register.
 */
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type {
  ArchiveVerification,
  Matter,
  Orientation,
  Paper,
  RenderPage,
} from '../../shared/domain'
import { CounterError, isCounterError } from '../../shared/errors'
import { isLicenceIdShape, parseLicenceId } from '../../shared/ids'
import { shanghaiDate } from '../../shared/time'
import type { AuditRecord } from '../audit'
import type { Db } from '../db'
import type { LibraryClient, LicenceFile } from '../licences'
import type { Logger } from '../log'
import { findBusinesses, sha256File, type BusinessLicence, type BusinessRecord } from './businesses'
import { composeArchivePages, type ArchiveHeader, type ArchivePerson } from './compose'
import type { ArchiveFonts } from './fonts'
import {
  prepareLicence,
  type LicenceFileInput,
  type PreparedLicence,
  type SealCheck,
} from './licence-file'
import { qrContent, type ArchiveKey } from './qr'
import type { ArchiveRegister, StartedPrint } from './register'
import { describeVerification, verificationLine, type LibraryOutcome } from './verification'

/** What to archive: a licence by identifier (for a business, or not), or a local file. */
export type CopySource =
  | { readonly kind: 'identifier'; readonly identifier: string; readonly businessSerial?: string }
  | {
      readonly kind: 'file'
      readonly path: string
      readonly businessSerial?: string
      readonly matterCode?: string
    }

export interface ResolvedCopy {
  readonly sourceIdentifier: string
  readonly businessSerial: string
  readonly matter: { readonly code: string; readonly name: string } | null
  readonly licence: {
    readonly typeName?: string
    readonly number?: string
    readonly issuer?: string
  }
  readonly issuerCode: string
  readonly origin: 'materials' | 'library' | 'file'
  readonly prepared: PreparedLicence
  readonly verification: ArchiveVerification
}

export interface CopyDeps {
  readonly db: Db
  /** Where a copy gets its number and each print of it is recorded. */
  readonly register: ArchiveRegister
  readonly exportRoot: string
  readonly fonts: () => ArchiveFonts
  readonly terminal: { readonly id: string; readonly unitName: string; readonly unitCode: string }
  readonly inForceStatuses: readonly string[]
  readonly library?: LibraryClient
  readonly matters: () => readonly Matter[]
  readonly verifySeals?: SealCheck
  readonly audit?: { append(record: AuditRecord): unknown }
  readonly logger: Logger
  readonly maxFileBytes: number
  readonly qr: { readonly verifyUrl: string; readonly validDays: number }
  /** The fingerprint of the office key the QR codes are signed with (printed in the footer). */
  readonly fingerprint: () => string
  readonly now: () => Date
}

const REASON_OF_USE = '纸质存档副本打印（存档）'

function readLocal(path: string, maxBytes: number): Uint8Array {
  let size: number
  try {
    size = statSync(path).size
  } catch (cause) {
    throw new CounterError('ARCHIVE_FILE_UNREADABLE', { params: { file: basename(path) }, cause })
  }
  if (size > maxBytes)
    throw new CounterError('ARCHIVE_UNSUPPORTED_FILE', {
      params: { file: basename(path) },
      detail: `${size} bytes`,
    })
  try {
    return readFileSync(path)
  } catch (cause) {
    throw new CounterError('ARCHIVE_FILE_UNREADABLE', { params: { file: basename(path) }, cause })
  }
}

function isOffline(error: unknown): boolean {
  return (
    isCounterError(error) && (error.code === 'LIBRARY_OFFLINE' || error.code === 'LIBRARY_TIMEOUT')
  )
}

export class CopyMaker {
  constructor(private readonly deps: CopyDeps) {}

  /** The business a serial names, when the licence module recorded one. */
  business(serial: string): BusinessRecord | undefined {
    return findBusinesses(
      this.deps.db,
      this.deps.exportRoot,
      { serials: [serial] },
      this.deps.matters(),
    )[0]
  }

  private async fetch(
    identifier: string,
    business: BusinessRecord | undefined,
    actor: ArchivePerson,
    signal?: AbortSignal,
  ): Promise<LicenceFile> {
    const { library } = this.deps
    if (!library || !isLicenceIdShape(identifier))
      throw new CounterError('ARCHIVE_SOURCE_NOT_FOUND', { params: { what: identifier } })
    const use = {
      useReason: REASON_OF_USE,
      serviceItemCode: business?.matterCode || 'ARCHIVE',
      ...(business ? { businessSerialNo: business.businessSerial } : {}),
      operator: { name: actor.name, code: actor.operatorCode ?? actor.code, role: actor.role },
      terminalId: this.deps.terminal.id,
    }
    const record = (result: string, detail?: string) =>
      this.deps.audit?.append({
        action: 'download',
        staff: { name: actor.name, code: actor.code, role: actor.role },
        ...(business
          ? { matter: business.matterCode, businessSerial: business.businessSerial }
          : {}),
        reason: REASON_OF_USE,
        licences: [identifier],
        result,
        ...(detail ? { detail } : {}),
      })
    try {
      let file: LicenceFile
      try {
        file = await library.file({ ...use, licenseIdentifier: identifier, format: 'ofd' }, signal)
      } catch (error) {
        // Some libraries hold only a face image for older licences.
        if (!isCounterError(error) || error.code !== 'LICENCE_FILE_UNAVAILABLE') throw error
        file = await library.file({ ...use, licenseIdentifier: identifier, format: 'png' }, signal)
      }
      record('ok', `archive ${file.format} ${file.bytes.length} bytes`)
      return file
    } catch (error) {
      record(isCounterError(error) ? `failed:${error.code}` : 'failed:INTERNAL')
      throw error
    }
  }

  private async libraryStatus(identifier: string): Promise<LibraryOutcome> {
    const { library } = this.deps
    if (!isLicenceIdShape(identifier))
      return { kind: 'unchecked', reason: '文件未载明电子证照标识' }
    if (!library) return { kind: 'unchecked', reason: '本机未连接证照库' }
    try {
      const r = await library.verifyInfo(identifier, {})
      return {
        kind: 'answered',
        exists: r.exists,
        ...(r.licenseStatus ? { status: r.licenseStatus } : {}),
        at: this.deps.now(),
      }
    } catch (error) {
      if (isOffline(error)) return { kind: 'unchecked', reason: '证照库离线' }
      return {
        kind: 'unchecked',
        reason: isCounterError(error) ? error.message : '证照库查询出错',
      }
    }
  }

  /** Finds, renders and checks a licence; no number is given yet. */
  async resolve(
    source: CopySource,
    actor: ArchivePerson,
    signal?: AbortSignal,
  ): Promise<ResolvedCopy> {
    const { deps } = this
    const serial = source.businessSerial ?? ''
    const business = serial ? this.business(serial) : undefined
    let input: LicenceFileInput
    let origin: ResolvedCopy['origin']
    let known: BusinessLicence | undefined
    if (source.kind === 'file') {
      input = { bytes: readLocal(source.path, deps.maxFileBytes), name: basename(source.path) }
      origin = 'file'
    } else {
      known = business?.licences.find((l) => l.identifier === source.identifier)
      const local = known?.file
      if (local && local.sha256 && sha256File(local.path) === local.sha256) {
        input = {
          bytes: readLocal(local.path, deps.maxFileBytes),
          name: basename(local.path),
          format: local.format,
        }
        origin = 'materials'
      } else {
        const file = await this.fetch(source.identifier, business, actor, signal)
        input = { bytes: file.bytes, name: file.fileName, format: file.format }
        origin = 'library'
      }
    }
    signal?.throwIfAborted()
    const prepared = await prepareLicence(input, {
      fonts: deps.fonts().library,
      ...(deps.verifySeals ? { verifySeals: deps.verifySeals } : {}),
    })
    const sourceIdentifier =
      source.kind === 'identifier'
        ? source.identifier
        : (prepared.meta.identifier ?? `SM3:${prepared.sm3}`)
    const parsed = parseLicenceId(sourceIdentifier)
    const issuerCode =
      known?.issuerCode || prepared.meta.issuerCode || parsed.parts?.issuerCode || ''
    const matterCode =
      business?.matterCode ?? (source.kind === 'file' ? source.matterCode : undefined)
    const matter = matterCode
      ? {
          code: matterCode,
          name:
            business?.matterName ??
            deps.matters().find((m) => m.code === matterCode)?.name ??
            matterCode,
        }
      : null
    const status = await this.libraryStatus(sourceIdentifier)
    return {
      sourceIdentifier,
      businessSerial: serial,
      matter,
      licence: {
        ...(known?.typeName || prepared.meta.typeName
          ? { typeName: known?.typeName || prepared.meta.typeName }
          : {}),
        ...(known?.number || prepared.meta.number
          ? { number: known?.number || prepared.meta.number }
          : {}),
        ...(known?.issuer || prepared.meta.issuer
          ? { issuer: known?.issuer || prepared.meta.issuer }
          : {}),
      },
      issuerCode,
      origin,
      prepared,
      verification: describeVerification(prepared.seal, status, deps.inForceStatuses, deps.now()),
    }
  }

  /**
   * Numbers the copy (once: a copy numbered before keeps its number) and opens this print of it
   * in the register, pending until its file is whole; `batchId` is empty for a single copy.
   */
  beginPrint(
    copy: ResolvedCopy,
    actor: ArchivePerson,
    batchId: string,
    paper: Paper,
  ): StartedPrint {
    return this.deps.register.beginPrint(
      {
        identifier: copy.sourceIdentifier,
        businessSerial: copy.businessSerial,
        matterCode: copy.matter?.code ?? '',
        matterName: copy.matter?.name ?? '',
        licence: [copy.licence.typeName, copy.licence.number].filter(Boolean).join(' '),
        issuerCode: copy.issuerCode,
      },
      {
        batchId,
        staff: actor,
        paper,
        pages: copy.prepared.pages.length,
        seal: copy.verification.seal.state,
        verification: verificationLine(copy.verification),
        qrExpires: this.expiresOn(this.deps.now()),
      },
    )
  }

  /** The last day the copy's QR token is valid. */
  private expiresOn(at: Date): string {
    return shanghaiDate(at.getTime() + this.deps.qr.validDays * 86_400_000)
  }

  /**
   * The archive pages for a numbered print, or a preview (`print` absent): a preview of a copy
   * that exists already shows its number and the reprint it would be (`existing`).
   */
  pages(
    copy: ResolvedCopy,
    actor: ArchivePerson,
    layout: { readonly paper: Paper; readonly orientation: Orientation },
    print: { readonly started: StartedPrint; readonly key: ArchiveKey } | undefined,
    existing?: {
      readonly archiveNo: string
      readonly printNo: number
      readonly firstPrintedAt?: string
    },
  ): RenderPage[] {
    const { deps } = this
    const at = print ? new Date(print.started.printedAt) : deps.now()
    const expiresOn = this.expiresOn(at)
    const content = print
      ? qrContent(
          deps.qr.verifyUrl,
          {
            archiveNo: print.started.archiveNo,
            identifier: copy.sourceIdentifier,
            issuerCode: copy.issuerCode,
            unitCode: deps.terminal.unitCode,
            expiresOn,
          },
          print.key,
        )
      : `${deps.qr.verifyUrl}${deps.qr.verifyUrl.includes('?') ? '&' : '?'}preview=1`
    const header: ArchiveHeader = {
      archiveNo: print ? print.started.archiveNo : (existing?.archiveNo ?? '（打印时分配）'),
      businessSerial: copy.businessSerial,
      matter: copy.matter,
      sourceIdentifier: copy.sourceIdentifier,
      licence: copy.licence,
      printedBy: actor,
      printedAt: at,
      unit: {
        name: deps.terminal.unitName,
        code: deps.terminal.unitCode,
        terminal: deps.terminal.id,
      },
      verification: copy.verification,
      qr: { content, expiresOn, validDays: deps.qr.validDays, fingerprint: deps.fingerprint() },
      ...(print?.started.reprint && print.started.firstPrintedAt
        ? {
            reprint: {
              printNo: print.started.printNo,
              firstPrintedAt: print.started.firstPrintedAt,
            },
          }
        : !print && existing?.firstPrintedAt && existing.printNo > 1
          ? { reprint: { printNo: existing.printNo, firstPrintedAt: existing.firstPrintedAt } }
          : {}),
      ...(print ? {} : { preview: true }),
    }
    return composeArchivePages(copy.prepared.pages, header, { ...layout, fonts: deps.fonts() })
  }
}
