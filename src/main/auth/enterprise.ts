/**
 * Enterprise applicants: an enterprise's CA key inserted at the window identifies the applicant
 * as that enterprise (USCC, holder type 001), after the same certificate checks as staff keys —
 * an expired, revoked or untrusted certificate identifies nobody and says why. Pulling the key
 * out ends that applicant's service, as lifting an ID card does.
 */
import type { EnterpriseHolder } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { CaKeyEvent } from '../devices'
import type { Logger } from '../log'
import { formatName, nameValues, type TrustStore } from '../pki'
import type { ApplicantSession } from '../session'
import type { ReadKey } from './service'
import type { StaffSession } from './staff'

/** 统一社会信用代码 as the holder identity type (GB/T 36903 as used in practice). */
export const ENTERPRISE_HOLDER_TYPE = '001'

export interface EnterpriseApplicantsOptions {
  readonly readKeys: (tokenId: string) => Promise<ReadKey[]>
  readonly trust: TrustStore
  readonly session: ApplicantSession
  readonly staff: StaffSession
  readonly logger: Logger
  readonly notice: (error: CounterError) => void
  readonly now?: () => Date
}

export class EnterpriseApplicants {
  /** The key that identified the applicant now at the window, and that session's generation. */
  private current: { tokenId: string; generation: number } | undefined

  constructor(private readonly o: EnterpriseApplicantsOptions) {}

  async onKeyEvent(event: CaKeyEvent): Promise<void> {
    if (event.type === 'removed') {
      const c = this.current
      if (c && c.tokenId === event.token.id) {
        this.current = undefined
        if (this.o.session.currentGeneration === c.generation) {
          this.o.logger.info('enterprise key pulled out; applicant cleared')
          this.o.session.clear()
        }
      }
      return
    }
    // Only a clerk at work identifies applicants; a key left in while locked waits.
    if (!this.o.staff.current()) return
    await this.identify(event.token.id)
  }

  /** Identifies the applicant from this key if it holds an enterprise certificate. */
  async identify(tokenId: string): Promise<boolean> {
    let reads: ReadKey[]
    try {
      reads = await this.o.readKeys(tokenId)
    } catch (error) {
      if (error instanceof CounterError) this.o.notice(error)
      return false
    }
    const read = reads.find((r) => r.identity?.kind === 'enterprise')
    if (!read?.cert || !read.identity) return false
    const cert = read.cert
    const id = read.identity
    const now = this.o.now?.() ?? new Date()
    let revocation: EnterpriseHolder['revocation']
    try {
      revocation = this.o.trust.validate(cert, now).revocation
    } catch (error) {
      const e =
        error instanceof CounterError ? error : new CounterError('INTERNAL', { cause: error })
      this.o.logger.info('enterprise key refused', { code: e.code, serial: cert.serialNumber })
      this.o.notice(e)
      return false
    }
    const view: EnterpriseHolder = {
      source: 'cakey',
      kind: 'enterprise',
      holderTypeCode: ENTERPRISE_HOLDER_TYPE,
      name: id.name,
      uscc: id.uscc!,
      usccCheckOk: id.checkOk,
      certificate: {
        issuer: nameValues(cert.issuer, 'CN')[0] ?? formatName(cert.issuer),
        serialNumber: cert.serialNumber,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
      },
      revocation,
      keyLabel: read.token.label,
      readAt: now.toISOString(),
    }
    this.o.session.identify({
      kind: 'enterprise',
      code: id.uscc!,
      holderTypeCode: ENTERPRISE_HOLDER_TYPE,
      name: id.name,
      view,
    })
    this.current = { tokenId, generation: this.o.session.currentGeneration }
    this.o.logger.info('enterprise applicant identified by CA key', {
      uscc: id.uscc,
      revocation,
    })
    return true
  }
}
