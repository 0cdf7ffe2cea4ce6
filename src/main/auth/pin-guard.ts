/**
 * Wrong PINs counted at this terminal, for keys that do not count their own (PKCS#11 modules
 * report only "count low / final try / locked", some nothing). After too many, the key is refused
 * here for a while, so a guessing clerk cannot grind a token that never locks.
 */
import { CounterError } from '../../shared/errors'
import type { Db } from '../db'

export class PinGuard {
  constructor(
    private readonly db: Db,
    /** Wrong PINs allowed here before the key is refused for a while. */
    readonly attempts: number,
    readonly lockMinutes: number,
  ) {}

  private row(certificate: string): { failures: number; last: number } | undefined {
    const r = this.db
      .prepare('SELECT failures, last_failure_at FROM auth_pin_failures WHERE certificate = ?')
      .get(certificate) as { failures: number; last_failure_at: string } | undefined
    return r && { failures: r.failures, last: Date.parse(r.last_failure_at) }
  }

  /** Attempts left here; CAKEY_SOFT_LOCKED while the key is refused. */
  check(certificate: string, now = new Date()): number {
    const r = this.row(certificate)
    if (!r) return this.attempts
    const until = r.last + this.lockMinutes * 60_000
    if (r.failures >= this.attempts) {
      if (now.getTime() < until)
        throw new CounterError('CAKEY_SOFT_LOCKED', {
          params: { minutes: Math.ceil((until - now.getTime()) / 60_000) },
        })
      this.reset(certificate)
      return this.attempts
    }
    return this.attempts - r.failures
  }

  /** Records a wrong PIN; returns the attempts left (0: now refused). */
  fail(certificate: string, now = new Date()): number {
    this.db
      .prepare(
        `INSERT INTO auth_pin_failures (certificate, failures, last_failure_at) VALUES (?, 1, ?)
         ON CONFLICT (certificate) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at`,
      )
      .run(certificate, now.toISOString())
    return Math.max(0, this.attempts - (this.row(certificate)?.failures ?? 0))
  }

  reset(certificate: string): void {
    this.db.prepare('DELETE FROM auth_pin_failures WHERE certificate = ?').run(certificate)
  }
}
