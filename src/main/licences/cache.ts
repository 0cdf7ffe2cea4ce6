/**
 * What may be shown when the library cannot be reached: lists and files fetched earlier, kept in
 * memory only, for as long as the policy says. With the default `applicant` scope nothing about
 * an applicant survives 下一位 or the card being lifted; with `terminal` a returning applicant's
 * data is kept until it expires. It is never written to disk.
 */
import type { LicenceFile } from './client'
import type { WireLicence } from './wire'

export interface CachePolicy {
  readonly scope: 'applicant' | 'terminal'
  readonly lists: boolean
  readonly files: boolean
  readonly ttlMinutes: number
}

interface Stamped<T> {
  readonly value: T
  readonly at: number
}

export class OfflineCache {
  private readonly lists = new Map<string, Stamped<WireLicence[]>>()
  private readonly files = new Map<string, Stamped<LicenceFile>>()

  constructor(
    private readonly policy: CachePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  private fresh<T>(map: Map<string, Stamped<T>>, key: string): Stamped<T> | undefined {
    const hit = map.get(key)
    if (!hit) return undefined
    if (this.now() - hit.at > this.policy.ttlMinutes * 60_000) {
      map.delete(key)
      return undefined
    }
    return hit
  }

  putList(
    holderCode: string,
    matterCode: string,
    records: readonly WireLicence[],
    at: number,
  ): void {
    if (!this.policy.lists || this.policy.ttlMinutes === 0) return
    this.lists.set(`${holderCode}|${matterCode}`, { value: [...records], at })
  }

  getList(holderCode: string, matterCode: string): Stamped<WireLicence[]> | undefined {
    return this.fresh(this.lists, `${holderCode}|${matterCode}`)
  }

  putFile(holderCode: string, file: LicenceFile, at: number): void {
    if (!this.policy.files || this.policy.ttlMinutes === 0) return
    this.files.set(`${holderCode}|${file.identifier}|${file.format}`, { value: file, at })
  }

  getFile(
    holderCode: string,
    identifier: string,
    formats: readonly LicenceFile['format'][],
  ): Stamped<LicenceFile> | undefined {
    for (const f of formats) {
      const hit = this.fresh(this.files, `${holderCode}|${identifier}|${f}`)
      if (hit) return hit
    }
    return undefined
  }

  /** The applicant at the window changed (or left): drop what the policy does not keep. */
  applicantChanged(): void {
    if (this.policy.scope === 'applicant') {
      this.lists.clear()
      this.files.clear()
      return
    }
    const cutoff = this.now() - this.policy.ttlMinutes * 60_000
    for (const map of [this.lists, this.files] as Map<string, Stamped<unknown>>[])
      for (const [k, v] of map) if (v.at < cutoff) map.delete(k)
  }

  /** How many entries are held, for tests and diagnostics. */
  size(): number {
    return this.lists.size + this.files.size
  }
}
