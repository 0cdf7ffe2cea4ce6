/**
 * The staff roster: who may sign in at this office and in what role, bound to their certificate.
 * An entry names the person by citizen ID number and may pin exact certificates (SHA-256); then
 * only those certificates sign in, even from the same CA. The last roster read is cached (ID
 * numbers only as salted hashes) so that an office without network can still sign in — flagged
 * as offline.
 */
import { readBounded } from '../net'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { StaffRoleSchema, type StaffRole } from '../../shared/contract/auth'
import { CounterError } from '../../shared/errors'
import { checkCitizenId } from '../../shared/ids'
import { digest, secureRandom } from '../crypto'
import type { Db } from '../db'
import type { Logger } from '../log'

export const RosterFileSchema = z
  .object({
    version: z.string().min(1).max(64),
    /** The unit the roster is for (its USCC); informational. */
    unit: z.string().optional(),
    staff: z
      .array(
        z
          .object({
            name: z.string().min(1).max(64),
            idNumber: z
              .string()
              .transform((v) => v.trim().toUpperCase())
              .refine((v) => checkCitizenId(v).valid, '不是有效的公民身份号码'),
            role: StaffRoleSchema,
            /** SHA-256 fingerprints (hex) of the certificates allowed; any trusted one when absent. */
            certificates: z
              .array(
                z
                  .string()
                  .transform((v) => v.replace(/[:\s]/g, '').toLowerCase())
                  .refine((v) => /^[0-9a-f]{64}$/.test(v), '应为 64 位十六进制 SHA-256 指纹'),
              )
              .optional(),
            active: z.boolean().default(true),
          })
          .strict(),
      )
      .max(5000),
  })
  .strict()

export type RosterFile = z.input<typeof RosterFileSchema>

export interface RosterEntry {
  readonly name: string
  readonly role: StaffRole
  readonly active: boolean
  readonly idHash: string
  readonly certificates: readonly string[]
}

export interface Roster {
  readonly version: string
  readonly source: string
  readonly fetchedAt: string
  readonly entries: readonly RosterEntry[]
  /** True when this is the terminal's cached copy because the source could not be read. */
  readonly cached: boolean
}

export function parseRosterFile(raw: unknown): z.output<typeof RosterFileSchema> {
  const result = RosterFileSchema.safeParse(raw)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new CounterError('AUTH_ROSTER_INVALID', {
    params: { problem: `${issue.path.join('.') || '(根)'}：${issue.message}` },
  })
}

export interface RosterSource {
  readonly file?: string
  readonly url?: string
  readonly timeoutMs: number
  /** A roster given in code (training). */
  readonly builtIn?: unknown
}

/** After a source fails, go straight to the cache for this long (an office offline all day). */
const RETRY_SOURCE_MS = 60_000

export class RosterService {
  private salt: Uint8Array | undefined
  private last: Roster | undefined
  private failedAt = 0

  constructor(
    private readonly db: Db,
    private readonly source: RosterSource,
    private readonly logger: Logger,
  ) {}

  private pepper(): Uint8Array {
    if (this.salt) return this.salt
    const row = this.db.prepare('SELECT salt FROM auth_secret WHERE id = 1').get() as
      { salt: Uint8Array } | undefined
    if (row) return (this.salt = new Uint8Array(row.salt))
    const salt = secureRandom(32)
    this.db.prepare('INSERT INTO auth_secret (id, salt) VALUES (1, ?)').run(Buffer.from(salt))
    return (this.salt = salt)
  }

  hashId(idNumber: string): string {
    const bytes = new TextEncoder().encode(idNumber.trim().toUpperCase())
    return Buffer.from(digest('sha256', this.pepper(), bytes)).toString('hex')
  }

  private toRoster(file: z.output<typeof RosterFileSchema>, source: string): Roster {
    return {
      version: file.version,
      source,
      fetchedAt: new Date().toISOString(),
      cached: false,
      entries: file.staff.map((s) => ({
        name: s.name,
        role: s.role,
        active: s.active,
        idHash: this.hashId(s.idNumber),
        certificates: s.certificates ?? [],
      })),
    }
  }

  private save(roster: Roster): void {
    const { cached: _cached, ...stored } = roster
    this.db
      .prepare(
        `INSERT INTO auth_roster (id, version, source, body, fetched_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, source = excluded.source,
           body = excluded.body, fetched_at = excluded.fetched_at`,
      )
      .run(roster.version, roster.source, JSON.stringify(stored.entries), roster.fetchedAt)
  }

  cachedRoster(): Roster | undefined {
    const row = this.db
      .prepare('SELECT version, source, body, fetched_at FROM auth_roster WHERE id = 1')
      .get() as { version: string; source: string; body: string; fetched_at: string } | undefined
    if (!row) return undefined
    try {
      return {
        version: row.version,
        source: row.source,
        fetchedAt: row.fetched_at,
        entries: JSON.parse(row.body) as RosterEntry[],
        cached: true,
      }
    } catch {
      return undefined
    }
  }

  private async fetchUrl(url: string): Promise<unknown> {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.source.timeoutMs),
      headers: { accept: 'application/json' },
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const body = await readBounded(response, 4 * 1024 * 1024)
    if (!body) throw new Error('roster too large')
    return JSON.parse(body.toString('utf8')) as unknown
  }

  /**
   * The roster to sign in with: the source when it can be read (and then cached), else the cache
   * (flagged), else AUTH_ROSTER_UNAVAILABLE. A source that answers with an invalid roster is an
   * administrator's error and is reported as such.
   */
  async load(): Promise<Roster> {
    const { builtIn, url, file } = this.source
    if (builtIn) return (this.last = this.toRoster(parseRosterFile(builtIn), 'training'))
    const attempts: [string, () => Promise<unknown>][] = []
    if (url && Date.now() - this.failedAt > RETRY_SOURCE_MS)
      attempts.push([url, () => this.fetchUrl(url)])
    if (file)
      attempts.push([
        file,
        async () => JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown,
      ])
    for (const [source, read] of attempts) {
      let raw: unknown
      try {
        raw = await read()
      } catch (error) {
        if (source === url) this.failedAt = Date.now()
        this.logger.warn('roster source unreadable', { source, error: String(error) })
        continue
      }
      if (source === url) this.failedAt = 0
      const roster = this.toRoster(parseRosterFile(raw), source)
      this.save(roster)
      return (this.last = roster)
    }
    const cached = this.cachedRoster()
    if (cached) return (this.last = cached)
    throw new CounterError('AUTH_ROSTER_UNAVAILABLE')
  }

  /** The roster as last known, without going to the network (for showing whose keys are in). */
  async peek(): Promise<Roster | undefined> {
    if (this.source.builtIn) return this.load()
    return this.last ?? this.cachedRoster() ?? this.load().catch(() => undefined)
  }

  /** The roster entry for this person and certificate, or why there is none. */
  match(roster: Roster, idNumber: string, certSha256: string): RosterEntry {
    const hash = this.hashId(idNumber)
    const entries = roster.entries.filter((e) => e.idHash === hash)
    const entry = entries.find(
      (e) => e.certificates.length === 0 || e.certificates.includes(certSha256.toLowerCase()),
    )
    if (!entry) throw new CounterError('AUTH_NOT_IN_ROSTER', { detail: `roster ${roster.version}` })
    if (!entry.active) throw new CounterError('AUTH_STAFF_DISABLED')
    return entry
  }
}
