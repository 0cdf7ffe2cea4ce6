/**
 * The export of application materials for the business system: one folder per selection, with
 * each licence file and a `materials.json` describing them. The folder appears whole or not at
 * all — it is written under a temporary name, every file synced, then renamed.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { AttachItem, LicenceSeal, LicenceSummary, Matter } from '../../shared/domain'
import { writeFileAtomic } from '../audit'
import type { LicenceFile } from './client'
import { safeFileName, sha256Hex } from './files'

export interface MaterialInput {
  readonly summary: LicenceSummary
  readonly file: LicenceFile
  readonly seal: LicenceSeal
}

export interface MaterialsExport {
  readonly root: string
  readonly businessSerial: string
  readonly matter: Matter
  readonly holder: { readonly masked: string; readonly typeCode: string; readonly name: string }
  readonly terminal: string
  readonly staff: { readonly name: string; readonly cert: string }
  readonly createdAt: Date
  readonly items: readonly MaterialInput[]
}

const EXT = { ofd: 'ofd', png: 'png', jpeg: 'jpg' } as const

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z')
}

export function writeMaterials(x: MaterialsExport): { exportPath: string; items: AttachItem[] } {
  const serialDir = join(x.root, 'materials', safeFileName(x.businessSerial))
  const name = stamp(x.createdAt)
  const finalDir = join(serialDir, name)
  const tmpDir = join(serialDir, `.${name}.${process.pid}.tmp`)
  mkdirSync(tmpDir, { recursive: true })
  try {
    const items: AttachItem[] = x.items.map((m, i) => {
      const fileName = safeFileName(
        `${String(i + 1).padStart(2, '0')}-${m.summary.typeName}-${m.summary.number}.${EXT[m.file.format]}`,
      )
      writeFileAtomic(join(tmpDir, fileName), [m.file.bytes])
      return {
        identifier: m.summary.identifier,
        typeName: m.summary.typeName,
        number: m.summary.number,
        status: m.summary.status.label,
        fileName,
        format: m.file.format,
        bytes: m.file.bytes.length,
        sha256: sha256Hex(m.file.bytes),
        seal: m.seal,
        ...(m.file.annotation ? { annotation: m.file.annotation } : {}),
      }
    })
    const manifest = {
      format: 'counterdesk-materials/1',
      businessSerial: x.businessSerial,
      createdAt: x.createdAt.toISOString(),
      terminal: x.terminal,
      staff: x.staff,
      matter: { code: x.matter.code, name: x.matter.name, reasonOfUse: x.matter.reasonOfUse },
      holder: x.holder,
      items: items.map((it, i) => {
        const s = x.items[i]!.summary
        return {
          ...it,
          typeCode: s.typeCode,
          issuer: s.issuer,
          issuerCode: s.issuerCode,
          issuedOn: s.issuedOn,
          validFrom: s.validFrom,
          validTo: s.validTo,
          sm3: x.items[i]!.file.sm3,
        }
      }),
    }
    writeFileAtomic(join(tmpDir, 'materials.json'), [JSON.stringify(manifest, null, 2) + '\n'])
    renameSync(tmpDir, finalDir)
    return { exportPath: relative(x.root, finalDir).split('\\').join('/'), items }
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true })
    throw error
  }
}

/** Removes an export whose record could not be written, so no orphan folder remains. */
export function removeExport(root: string, exportPath: string): void {
  rmSync(join(root, exportPath), { recursive: true, force: true })
}
