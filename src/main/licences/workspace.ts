/**
 * What the core holds for the applicant at the window, and only for them: the licences listed
 * for each matter (the only identifiers later calls may name), the files fetched, the seal
 * checks done, the library's answers and the business serial. A new applicant (or 下一位)
 * starts an empty workspace.
 */
import type { LibraryCheck, LicenceDocument, LicenceSeal } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { LicenceFile } from './client'
import type { WireLicence } from './wire'

export class ApplicantWorkspace {
  private readonly listed = new Map<string, { wire: WireLicence; matters: Set<string> }>()
  private readonly files = new Map<string, LicenceFile>()
  readonly seals = new Map<string, LicenceSeal>()
  /** The library's last answer on each licence (file and information checks), when it gave one. */
  readonly library = new Map<string, LibraryCheck>()
  /** Documents already rendered for the preview, so opening a licence again is instant. */
  readonly documents = new Map<string, LicenceDocument>()
  businessSerial: string | null = null

  constructor(
    readonly generation: number,
    readonly holderCode: string,
  ) {}

  /** Records what a list (or a QR look-up) returned for a matter. */
  remember(matterCode: string, records: readonly WireLicence[]): void {
    for (const wire of records) {
      const known = this.listed.get(wire.licenseIdentifier)
      if (known) {
        known.wire = wire
        known.matters.add(matterCode)
      } else this.listed.set(wire.licenseIdentifier, { wire, matters: new Set([matterCode]) })
    }
  }

  /** The record behind an identifier, if it was listed for this matter; otherwise a refusal. */
  require(matterCode: string, identifier: string): WireLicence {
    const known = this.listed.get(identifier)
    if (!known || !known.matters.has(matterCode))
      throw new CounterError('SCOPE_LICENCE_NOT_LISTED', { detail: identifier.slice(0, 128) })
    return known.wire
  }

  /** Updates the record's status from a live check. */
  updateStatus(identifier: string, status: string): void {
    const known = this.listed.get(identifier)
    if (known) known.wire = { ...known.wire, licenseStatus: status }
  }

  file(identifier: string, formats: readonly LicenceFile['format'][]): LicenceFile | undefined {
    for (const f of formats) {
      const file = this.files.get(`${identifier}|${f}`)
      if (file) return file
    }
    return undefined
  }

  keepFile(file: LicenceFile): void {
    this.files.set(`${file.identifier}|${file.format}`, file)
  }
}
