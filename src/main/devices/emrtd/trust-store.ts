/**
 * The CSCA trust store: country signing CA certificates an administrator imported from ICAO
 * master lists (signature checked) or PEM/DER files, kept in SQLite. Passive Authentication asks
 * it for the issuers of a document signer certificate.
 */
import { createHash } from 'node:crypto'
import type { CscaEntry } from '../../../shared/domain'
import type { Db } from '../../db'
import { Asn1, TAG } from './asn1'
import { parseMasterList } from './pki/master-list'
import { anchorsFrom, type TrustAnchors } from './pki/passive'
import { certificatesFromFile, parseCertificate, type Certificate } from './pki/x509'

interface Row {
  fingerprint: string
  country: string | null
  subject: string
  not_before: string
  not_after: string
  der: Buffer
  source: string
  imported_at: string
}

export function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

/** Certificates from an uploaded file: an ICAO master list (CMS), PEM, or one DER certificate. */
export function certificatesInFile(bytes: Uint8Array): Certificate[] {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1')
  if (!text.includes('-----BEGIN')) {
    // A master list is a ContentInfo (SEQUENCE { OID, … }); a certificate starts with a SEQUENCE.
    let contentInfo = false
    try {
      const top = Asn1.parsePrefix(bytes)
      contentInfo = top.tag === TAG.SEQUENCE && top.children()[0]?.tag === TAG.OID
    } catch {
      contentInfo = false
    }
    if (contentInfo) return parseMasterList(bytes).certificates
  }
  return certificatesFromFile(bytes).map(parseCertificate)
}

export class CscaStore implements TrustAnchors {
  private cache: Certificate[] | undefined

  constructor(private readonly db: Db) {}

  private all(): Certificate[] {
    if (!this.cache) {
      const rows = this.db.prepare('SELECT der FROM csca_certificates').all() as Pick<Row, 'der'>[]
      this.cache = rows.flatMap((r) => {
        try {
          return [parseCertificate(new Uint8Array(r.der))]
        } catch {
          return []
        }
      })
    }
    return this.cache
  }

  issuersOf(cert: Certificate): readonly Certificate[] {
    return anchorsFrom(this.all()).issuersOf(cert)
  }

  list(): CscaEntry[] {
    const rows = this.db
      .prepare(
        'SELECT fingerprint, country, subject, not_before, not_after, source, imported_at FROM csca_certificates ORDER BY country, subject',
      )
      .all() as Row[]
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      ...(r.country ? { country: r.country } : {}),
      subject: r.subject,
      notBefore: r.not_before,
      notAfter: r.not_after,
      source: r.source,
      importedAt: r.imported_at,
    }))
  }

  /** Adds certificates; ones already present are skipped. All or nothing. */
  add(certificates: readonly Certificate[], source: string): { imported: number; skipped: number } {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO csca_certificates (fingerprint, country, subject, not_before, not_after, der, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const now = new Date().toISOString()
    let imported = 0
    this.db.transaction(() => {
      for (const c of certificates) {
        const r = insert.run(
          fingerprint(c.raw),
          c.subject.country ?? null,
          c.subject.text,
          c.notBefore.toISOString(),
          c.notAfter.toISOString(),
          Buffer.from(c.raw),
          source,
          now,
        )
        imported += r.changes
      }
    })()
    this.cache = undefined
    return { imported, skipped: certificates.length - imported }
  }

  importFile(bytes: Uint8Array, source: string): { imported: number; skipped: number } {
    return this.add(certificatesInFile(bytes), source)
  }

  remove(fingerprintHex: string): boolean {
    const r = this.db
      .prepare('DELETE FROM csca_certificates WHERE fingerprint = ?')
      .run(fingerprintHex)
    this.cache = undefined
    return r.changes > 0
  }
}
