/**
 * The archive register in SQLite: archive numbers, copies and their prints. A copy (one licence
 * for one business) gets its number in the same transaction that records it, so a number is
 * never given twice, and a crash between painting and finishing leaves a pending print that the
 * next attempt completes under the same number rather than a new one.
 */
import type { ArchivePrint, RegisterQuery } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import { shanghaiDate, shanghaiDayAfter, shanghaiDayStart } from '../../shared/time'
import { sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from '../crypto'
import type { Db } from '../db'
import { keyId, type ArchiveKey } from './qr'

/**
 * Seals the office's private key at rest with the app's data key: the issuance domain's sealer
 * (AES-256-GCM, bound to what it belongs to) fits this shape.
 */
export interface KeySealer {
  readonly available: boolean
  seal(plaintext: Uint8Array, aad: string): Buffer
  open(box: Uint8Array, aad: string): Buffer
}

/** How `archive_keys.private_key` holds a sealed key; older versions stored 64 hex digits. */
const SEALED = 'sealed:'
const keyAad = (kid: string) => `archive-key:${kid}`

export interface CopyInput {
  readonly identifier: string
  readonly businessSerial: string
  readonly matterCode: string
  readonly matterName: string
  /** `营业执照 91410105MA44K7QX15`: what a person reading the register recognises. */
  readonly licence: string
  readonly issuerCode: string
}

export interface Copy extends CopyInput {
  readonly archiveNo: string
  readonly createdAt: string
}

export interface Actor {
  readonly name: string
  readonly code: string
  readonly role: string
}

export interface PrintStart {
  readonly batchId: string
  readonly staff: Actor
  readonly paper: string
  readonly pages: number
  readonly seal: string
  readonly verification: string
  readonly qrExpires: string
}

export interface StartedPrint {
  readonly id: number
  readonly archiveNo: string
  readonly printNo: number
  readonly reprint: boolean
  /** When the copy was first printed, for a reprint. */
  readonly firstPrintedAt?: string
  readonly printedAt: string
}

interface CopyRow {
  archive_no: string
  identifier: string
  business_serial: string
  matter_code: string
  matter_name: string
  licence: string
  issuer_code: string
  created_at: string
}

interface PrintRow {
  id: number
  archive_no: string
  print_no: number
  state: 'pending' | 'done' | 'cancelled'
  batch_id: string
  printed_at: string
  staff_name: string
  staff_code: string
  staff_role: string
  terminal: string
  paper: string
  pages: number
  seal: string
  verification: string
  output: string
  printer: string
  identifier: string
  business_serial: string
  matter_code: string
  matter_name: string
  licence: string
}

const fromCopy = (r: CopyRow): Copy => ({
  archiveNo: r.archive_no,
  identifier: r.identifier,
  businessSerial: r.business_serial,
  matterCode: r.matter_code,
  matterName: r.matter_name,
  licence: r.licence,
  issuerCode: r.issuer_code,
  createdAt: r.created_at,
})

function guard<T>(fn: () => T): T {
  try {
    return fn()
  } catch (cause) {
    if (cause instanceof CounterError) throw cause
    throw new CounterError('ARCHIVE_REGISTER_FAILED', { cause, detail: String(cause) })
  }
}

export class ArchiveRegister {
  constructor(
    private readonly db: Db,
    private readonly terminal: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `ZZ-JS-03-2026-000123`: terminal, Shanghai year, a counter per year. */
  private nextNumber(at: Date): string {
    const year = Number(shanghaiDate(at).slice(0, 4))
    const row = this.db
      .prepare(
        `INSERT INTO archive_counters (year, last_value) VALUES (?, 1)
         ON CONFLICT (year) DO UPDATE SET last_value = last_value + 1
         RETURNING last_value`,
      )
      .get(year) as { last_value: number }
    return `${this.terminal}-${year}-${String(row.last_value).padStart(6, '0')}`
  }

  copy(identifier: string, businessSerial: string): Copy | undefined {
    const row = this.db
      .prepare('SELECT * FROM archive_copies WHERE identifier = ? AND business_serial = ?')
      .get(identifier, businessSerial) as CopyRow | undefined
    return row ? fromCopy(row) : undefined
  }

  copyByNumber(archiveNo: string): Copy | undefined {
    const row = this.db
      .prepare('SELECT * FROM archive_copies WHERE archive_no = ?')
      .get(archiveNo) as CopyRow | undefined
    return row ? fromCopy(row) : undefined
  }

  /** Finished prints of a copy. */
  printCount(archiveNo: string): number {
    return (
      this.db
        .prepare(`SELECT count(*) AS n FROM archive_prints WHERE archive_no = ? AND state = 'done'`)
        .get(archiveNo) as { n: number }
    ).n
  }

  /**
   * Opens a print of a licence for a business: the copy (numbered now if it is new) and a
   * pending print row — the copy's own pending row again when an earlier attempt was cut off.
   */
  beginPrint(input: CopyInput, start: PrintStart): StartedPrint {
    return guard(() =>
      this.db
        .transaction((): StartedPrint => {
          const at = this.now()
          let copy = this.copy(input.identifier, input.businessSerial)
          if (!copy) {
            const archiveNo = this.nextNumber(at)
            this.db
              .prepare(
                `INSERT INTO archive_copies (archive_no, identifier, business_serial, matter_code,
                   matter_name, licence, issuer_code, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(
                archiveNo,
                input.identifier,
                input.businessSerial,
                input.matterCode,
                input.matterName,
                input.licence,
                input.issuerCode,
                at.toISOString(),
              )
            copy = { ...input, archiveNo, createdAt: at.toISOString() }
          }
          const done = this.db
            .prepare(
              `SELECT count(*) AS n, min(printed_at) AS first, max(print_no) AS last
               FROM archive_prints WHERE archive_no = ? AND state = 'done'`,
            )
            .get(copy.archiveNo) as { n: number; first: string | null; last: number | null }
          const printNo = (done.last ?? 0) + 1
          const fields = {
            archiveNo: copy.archiveNo,
            printNo,
            batchId: start.batchId,
            printedAt: at.toISOString(),
            staffName: start.staff.name,
            staffCode: start.staff.code,
            staffRole: start.staff.role,
            terminal: this.terminal,
            paper: start.paper,
            pages: start.pages,
            seal: start.seal,
            verification: start.verification,
            qrExpires: start.qrExpires,
          }
          const pending = this.db
            .prepare(`SELECT id FROM archive_prints WHERE archive_no = ? AND state = 'pending'`)
            .get(copy.archiveNo) as { id: number } | undefined
          let id: number
          if (pending) {
            this.db
              .prepare(
                `UPDATE archive_prints SET print_no = @printNo, batch_id = @batchId,
                   printed_at = @printedAt, staff_name = @staffName, staff_code = @staffCode,
                   staff_role = @staffRole, terminal = @terminal, paper = @paper, pages = @pages,
                   seal = @seal, verification = @verification, qr_expires = @qrExpires
                 WHERE id = @id`,
              )
              .run({ ...fields, id: pending.id })
            id = pending.id
          } else {
            id = Number(
              this.db
                .prepare(
                  `INSERT INTO archive_prints (archive_no, print_no, state, batch_id, printed_at,
                     staff_name, staff_code, staff_role, terminal, paper, pages, seal,
                     verification, qr_expires, output, pdf_sha256)
                   VALUES (@archiveNo, @printNo, 'pending', @batchId, @printedAt, @staffName,
                     @staffCode, @staffRole, @terminal, @paper, @pages, @seal, @verification,
                     @qrExpires, '', '')`,
                )
                .run(fields).lastInsertRowid,
            )
          }
          return {
            id,
            archiveNo: copy.archiveNo,
            printNo,
            reprint: printNo > 1,
            ...(done.first ? { firstPrintedAt: done.first } : {}),
            printedAt: fields.printedAt,
          }
        })
        .immediate(),
    )
  }

  /** Marks prints finished (their file is complete) — all of one file in one transaction. */
  completePrints(ids: readonly number[], output: string, sha256: string): void {
    guard(() =>
      this.db.transaction(() => {
        const stmt = this.db.prepare(
          `UPDATE archive_prints SET state = 'done', output = ?, pdf_sha256 = ?
           WHERE id = ? AND state = 'pending'`,
        )
        for (const id of ids) stmt.run(output, sha256, id)
      })(),
    )
  }

  /** Leaves prints unfinished for good (a cancelled batch); their copies keep their numbers. */
  cancelPrints(ids: readonly number[]): void {
    guard(() =>
      this.db.transaction(() => {
        const stmt = this.db.prepare(
          `UPDATE archive_prints SET state = 'cancelled' WHERE id = ? AND state = 'pending'`,
        )
        for (const id of ids) stmt.run(id)
      })(),
    )
  }

  /** Notes on a batch file's finished prints the printer the file was sent to. */
  notePrinter(batchId: string, output: string, printer: string): void {
    guard(() =>
      this.db
        .prepare(
          `UPDATE archive_prints SET printer = ? WHERE batch_id = ? AND output = ? AND state = 'done'`,
        )
        .run(printer, batchId, output),
    )
  }

  /** Register entries, newest first. */
  prints(query: RegisterQuery = {}): ArchivePrint[] {
    const where: string[] = []
    const params: Record<string, string | number> = { limit: query.limit ?? 500 }
    if (query.from) {
      where.push('p.printed_at >= @from')
      params.from = shanghaiDayStart(query.from)
    }
    if (query.to) {
      where.push('p.printed_at < @to')
      params.to = shanghaiDayAfter(query.to)
    }
    if (query.businessSerial) {
      where.push('c.business_serial = @serial')
      params.serial = query.businessSerial
    }
    if (query.identifier) {
      where.push('c.identifier = @identifier')
      params.identifier = query.identifier
    }
    const rows = this.db
      .prepare(
        `SELECT p.*, c.identifier, c.business_serial, c.matter_code, c.matter_name, c.licence
         FROM archive_prints p JOIN archive_copies c USING (archive_no)
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY p.id DESC LIMIT @limit`,
      )
      .all(params) as PrintRow[]
    return rows.map((r) => ({
      id: r.id,
      archiveNo: r.archive_no,
      printNo: r.print_no,
      reprint: r.print_no > 1,
      identifier: r.identifier,
      businessSerial: r.business_serial,
      matterCode: r.matter_code,
      matterName: r.matter_name,
      licence: r.licence,
      printedAt: r.printed_at,
      staffName: r.staff_name,
      staffCode: r.staff_code,
      staffRole: r.staff_role,
      terminal: r.terminal,
      paper: r.paper,
      pages: r.pages,
      seal: r.seal,
      verification: r.verification,
      output: r.output,
      printer: r.printer,
      batchId: r.batch_id,
      state: r.state,
    }))
  }

  /**
   * The QR signing key: the configured one, else the one made here on first use — kept sealed
   * with the data key. A key an older version stored in plain hex is sealed in place the first
   * time a data key is there (and the plain bytes are scrubbed from the file); without a data
   * key it is still used, but no new key is ever stored unsealed.
   */
  signingKey(configured?: string, sealer?: KeySealer): ArchiveKey {
    if (configured) {
      if (!/^[0-9a-fA-F]{64}$/.test(configured)) throw new CounterError('ARCHIVE_KEY_INVALID')
      const privateKey = Uint8Array.from(Buffer.from(configured, 'hex'))
      let publicKey: Uint8Array
      try {
        publicKey = sm2PublicKeyFromPrivate(privateKey)
      } catch (cause) {
        throw new CounterError('ARCHIVE_KEY_INVALID', { cause })
      }
      return { kid: keyId(publicKey), keys: { privateKey, publicKey } }
    }
    const sealing = sealer?.available ? sealer : undefined
    // Sealing a plain key in place: SQLite zeroes the bytes it frees while this is on.
    const scrubbing = !!sealing && !this.db.memory && this.keyStorage() === 'plain'
    const secureDelete = this.db.pragma('secure_delete', { simple: true }) as number
    if (scrubbing) this.db.pragma('secure_delete = ON')
    try {
      const key = this.loadKey(sealing)
      // The old page, plain key and all, stays in the file until the log is folded in.
      if (scrubbing && this.keyStorage() === 'sealed') this.db.pragma('wal_checkpoint(TRUNCATE)')
      return key
    } finally {
      if (scrubbing) this.db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`)
    }
  }

  /** The stored key (sealed now if it was plain), or a new one stored sealed. */
  private loadKey(sealing: KeySealer | undefined): ArchiveKey {
    return guard(() =>
      this.db
        .transaction((): ArchiveKey => {
          const row = this.db
            .prepare(
              'SELECT kid, public_key, private_key FROM archive_keys ORDER BY created_at LIMIT 1',
            )
            .get() as { kid: string; public_key: string; private_key: string } | undefined
          if (row) {
            const publicKey = Uint8Array.from(Buffer.from(row.public_key, 'hex'))
            const privateKey = this.openPrivateKey(row, sealing)
            if (!row.private_key.startsWith(SEALED) && sealing) {
              this.db
                .prepare('UPDATE archive_keys SET private_key = ? WHERE kid = ?')
                .run(SEALED + sealing.seal(privateKey, keyAad(row.kid)).toString('base64'), row.kid)
            }
            return { kid: row.kid, keys: { privateKey, publicKey } }
          }
          if (!sealing) throw new CounterError('ARCHIVE_KEY_LOCKED')
          const keys = sm2GenerateKeyPair()
          const kid = keyId(keys.publicKey)
          this.db
            .prepare(
              'INSERT INTO archive_keys (kid, public_key, private_key, created_at) VALUES (?, ?, ?, ?)',
            )
            .run(
              kid,
              Buffer.from(keys.publicKey).toString('hex'),
              SEALED + sealing.seal(keys.privateKey, keyAad(kid)).toString('base64'),
              this.now().toISOString(),
            )
          return { kid, keys }
        })
        .immediate(),
    )
  }

  /** A stored private key, opened (sealed) or read (plain), and checked against its public key. */
  private openPrivateKey(
    row: { kid: string; public_key: string; private_key: string },
    sealer: KeySealer | undefined,
  ): Uint8Array {
    let privateKey: Uint8Array
    if (row.private_key.startsWith(SEALED)) {
      if (!sealer) throw new CounterError('ARCHIVE_KEY_LOCKED')
      try {
        privateKey = Uint8Array.from(
          sealer.open(Buffer.from(row.private_key.slice(SEALED.length), 'base64'), keyAad(row.kid)),
        )
      } catch (cause) {
        throw new CounterError('ARCHIVE_KEY_UNREADABLE', { cause, detail: `key ${row.kid}` })
      }
    } else privateKey = Uint8Array.from(Buffer.from(row.private_key, 'hex'))
    let derived: string
    try {
      derived = Buffer.from(sm2PublicKeyFromPrivate(privateKey)).toString('hex')
    } catch (cause) {
      throw new CounterError('ARCHIVE_KEY_UNREADABLE', { cause, detail: `key ${row.kid}` })
    }
    if (derived !== row.public_key.toLowerCase())
      throw new CounterError('ARCHIVE_KEY_UNREADABLE', { detail: `key ${row.kid}: not its pair` })
    return privateKey
  }

  /** How the office key is kept in this database: not yet made, plain (older versions) or sealed. */
  keyStorage(): 'none' | 'plain' | 'sealed' {
    const row = this.db
      .prepare('SELECT private_key FROM archive_keys ORDER BY created_at LIMIT 1')
      .get() as { private_key: string } | undefined
    return !row ? 'none' : row.private_key.startsWith(SEALED) ? 'sealed' : 'plain'
  }

  /** Public keys this terminal knows, by key id (for checking QR codes). */
  publicKeys(): Map<string, Uint8Array> {
    const rows = this.db.prepare('SELECT kid, public_key FROM archive_keys').all() as {
      kid: string
      public_key: string
    }[]
    return new Map(rows.map((r) => [r.kid, Uint8Array.from(Buffer.from(r.public_key, 'hex'))]))
  }

  /** The first finished print of a copy, for a QR check. */
  firstPrint(
    archiveNo: string,
  ): { printedAt: string; printedBy: string; prints: number } | undefined {
    const row = this.db
      .prepare(
        `SELECT printed_at, staff_name, staff_code,
           (SELECT count(*) FROM archive_prints q WHERE q.archive_no = p.archive_no AND q.state = 'done') AS n
         FROM archive_prints p WHERE archive_no = ? AND state = 'done' ORDER BY print_no LIMIT 1`,
      )
      .get(archiveNo) as
      { printed_at: string; staff_name: string; staff_code: string; n: number } | undefined
    return row
      ? {
          printedAt: row.printed_at,
          printedBy: `${row.staff_name}（${row.staff_code}）`,
          prints: row.n,
        }
      : undefined
  }
}
