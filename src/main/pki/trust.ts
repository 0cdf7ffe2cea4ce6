/**
 * The trust the app runs with: CA roots (and intermediates) from configured files, and the CRLs
 * an administrator imported offline, kept in the database so the office still checks revocation
 * after a restart without network. A CRL is accepted only when a trusted CA signed it, and an
 * older CRL never replaces a newer one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CounterError } from '../../shared/errors'
import type { Db } from '../db'
import type { Logger } from '../log'
import {
  couldHaveIssued,
  DEFAULT_REVOCATION_POLICY,
  mayIssueCrls,
  validateCertificate,
  type RevocationPolicy,
  type ValidationResult,
} from './chain'
import { crlSignedBy, MAX_CRL_BYTES, parseCrl, type Crl } from './crl'
import { formatName, nameKey } from './name'
import { parseCertificate, pemBlocks, type Certificate } from './x509'

/** Every certificate in a PEM bundle or a DER file. */
export function readCertificates(bytes: Uint8Array): Certificate[] {
  const text = Buffer.from(bytes.subarray(0, 4 * 1024 * 1024)).toString('latin1')
  const blocks = pemBlocks(text)
  return (blocks.length ? blocks : [bytes]).map((b) => parseCertificate(b))
}

export function loadCertificateFiles(files: readonly string[]): Certificate[] {
  return files.flatMap((file) => {
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch (cause) {
      throw new CounterError('CERT_FILE_UNREADABLE', { params: { file }, cause })
    }
    return readCertificates(bytes)
  })
}

export interface CrlImport {
  readonly issuer: string
  readonly thisUpdate: string
  readonly nextUpdate?: string
  readonly revoked: number
  /** `replaced`: newer than what was kept; `kept`: not newer than the stored one. */
  readonly outcome: 'replaced' | 'kept'
}

interface CrlRow {
  issuer_key: string
  der: Uint8Array
  this_update: string
}

export interface TrustStoreOptions {
  readonly roots: readonly Certificate[]
  readonly intermediates?: readonly Certificate[]
  readonly db?: Db
  readonly policy?: RevocationPolicy
  readonly logger?: Logger
  readonly skewSeconds?: number
}

export class TrustStore {
  readonly roots: readonly Certificate[]
  readonly intermediates: readonly Certificate[]
  readonly policy: RevocationPolicy
  private readonly crls = new Map<string, Crl>()

  constructor(private readonly options: TrustStoreOptions) {
    this.roots = options.roots
    this.intermediates = options.intermediates ?? []
    this.policy = options.policy ?? DEFAULT_REVOCATION_POLICY
    this.loadStored()
  }

  private loadStored(): void {
    const db = this.options.db
    if (!db) return
    const rows = db.prepare('SELECT issuer_key, der, this_update FROM pki_crl').all() as CrlRow[]
    for (const row of rows) {
      try {
        this.crls.set(row.issuer_key, parseCrl(new Uint8Array(row.der)))
      } catch {
        this.options.logger?.warn('stored CRL unreadable; ignored', { issuer: row.issuer_key })
      }
    }
  }

  private caFor(crl: Crl): Certificate | undefined {
    return [...this.roots, ...this.intermediates].find(
      (ca) => couldHaveIssued(ca, crl) && mayIssueCrls(ca) && crlSignedBy(crl, ca),
    )
  }

  /** Imports a CRL: it must be signed by a trusted CA; keeps the newest per CA. */
  importCrl(bytes: Uint8Array, source: string): CrlImport {
    const crl = parseCrl(bytes)
    const ca = this.caFor(crl)
    if (!ca)
      throw new CounterError('CERT_CRL_INVALID', {
        params: { reason: `签发者不受信任或签名不符（${formatName(crl.issuer)}）` },
      })
    const key = nameKey(crl.issuer)
    const current = this.crls.get(key)
    const summary = {
      issuer: formatName(crl.issuer),
      thisUpdate: crl.thisUpdate.toISOString(),
      ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.toISOString() } : {}),
      revoked: crl.revoked.size,
    }
    if (current && current.thisUpdate.getTime() >= crl.thisUpdate.getTime())
      return { ...summary, outcome: 'kept' }
    this.crls.set(key, crl)
    this.options.db
      ?.prepare(
        `INSERT INTO pki_crl (issuer_key, issuer, this_update, next_update, crl_number, der, source, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (issuer_key) DO UPDATE SET issuer = excluded.issuer, this_update = excluded.this_update,
           next_update = excluded.next_update, crl_number = excluded.crl_number, der = excluded.der,
           source = excluded.source, imported_at = excluded.imported_at`,
      )
      .run(
        key,
        summary.issuer,
        summary.thisUpdate,
        summary.nextUpdate ?? null,
        crl.crlNumber ?? null,
        Buffer.from(crl.der),
        source,
        new Date().toISOString(),
      )
    return { ...summary, outcome: 'replaced' }
  }

  /**
   * Imports every `.crl` / `.pem` / `.der` file in a folder. A bad file is reported and skipped;
   * it never stops the others.
   */
  importCrlFolder(dir: string): {
    imported: CrlImport[]
    failed: { file: string; code: string }[]
  } {
    const imported: CrlImport[] = []
    const failed: { file: string; code: string }[] = []
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return { imported, failed }
    }
    for (const name of names.filter((n) => /\.(crl|pem|der)$/i.test(n)).sort()) {
      const file = join(dir, name)
      try {
        if (statSync(file).size > MAX_CRL_BYTES)
          throw new CounterError('CERT_CRL_INVALID', { params: { reason: '文件过大' } })
        imported.push(this.importCrl(readFileSync(file), file))
      } catch (error) {
        const code = error instanceof CounterError ? error.code : 'INTERNAL'
        this.options.logger?.warn('CRL file not imported', { file: name, code })
        failed.push({ file: name, code })
      }
    }
    return { imported, failed }
  }

  crlFor(issuer: Certificate): Crl | undefined {
    return this.crls.get(nameKey(issuer.subject))
  }

  /** Validity, chain to a root, revocation — or the typed error for the first thing wrong. */
  validate(
    cert: Certificate,
    now = new Date(),
    extra: readonly Certificate[] = [],
  ): ValidationResult {
    return validateCertificate(cert, {
      roots: this.roots,
      intermediates: [...this.intermediates, ...extra],
      revocation: this,
      policy: this.policy,
      now,
      ...(this.options.skewSeconds !== undefined ? { skewSeconds: this.options.skewSeconds } : {}),
    })
  }

  crlSummaries(): { issuer: string; thisUpdate: string; nextUpdate?: string; revoked: number }[] {
    return [...this.crls.values()].map((c) => ({
      issuer: formatName(c.issuer),
      thisUpdate: c.thisUpdate.toISOString(),
      ...(c.nextUpdate ? { nextUpdate: c.nextUpdate.toISOString() } : {}),
      revoked: c.revoked.size,
    }))
  }
}
