/**
 * The service of one applicant: who is at the window and which matter is being handled. It is
 * the only source of a query's scope. Clearing it ("下一位", or the card lifted) drops every
 * reference to the applicant's data.
 */
import type { SessionView } from '../../shared/api'
import type { Matter } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { CatalogueService } from '../licences'
import type { Applicant } from './applicant'

export interface Scope {
  readonly applicant: Applicant
  readonly matter: Matter
}

export class ApplicantSession {
  private applicant: Applicant | undefined
  private matter: Matter | undefined
  private generation = 0

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly onChange: (view: SessionView) => void,
  ) {}

  /** Increments whenever the applicant changes, so late results for a previous one can be dropped. */
  get currentGeneration(): number {
    return this.generation
  }

  view(): SessionView {
    return { holder: this.applicant?.view ?? null, matterCode: this.matter?.code ?? null }
  }

  identify(applicant: Applicant): void {
    this.applicant = applicant
    this.matter = undefined
    this.generation++
    this.onChange(this.view())
  }

  clear(): void {
    if (!this.applicant && !this.matter) return
    this.applicant = undefined
    this.matter = undefined
    this.generation++
    this.onChange(this.view())
  }

  selectMatter(code: string): SessionView {
    if (!this.applicant) throw new CounterError('SCOPE_NO_HOLDER')
    const matter = this.catalogue.matter(code)
    if (!matter) throw new CounterError('SCOPE_UNKNOWN_MATTER', { params: { code } })
    if (!matter.holderKinds.includes(this.applicant.kind))
      throw new CounterError('SCOPE_HOLDER_KIND')
    this.matter = matter
    return this.view()
  }

  /** The applicant at the window, before any matter is chosen. */
  holder(): Applicant {
    if (!this.applicant) throw new CounterError('SCOPE_NO_HOLDER')
    return this.applicant
  }

  scope(): Scope {
    if (!this.applicant) throw new CounterError('SCOPE_NO_HOLDER')
    if (!this.matter) throw new CounterError('SCOPE_NO_MATTER')
    return { applicant: this.applicant, matter: this.matter }
  }
}
