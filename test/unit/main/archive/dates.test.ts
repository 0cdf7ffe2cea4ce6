/**
 * A day that does not exist in an archive query is refused where it comes in — the contract for
 * the app, a usage error for the CLI — rather than reaching the register as no instant at all.
 */
import { describe, expect, it } from 'vitest'
import { ArchiveQuerySchema, RegisterQuerySchema } from '../../../../src/shared/domain'
import { cliHere } from './fixtures'

describe('archive query dates', () => {
  it('the contract takes only days that exist', () => {
    expect(RegisterQuerySchema.safeParse({ from: '2026-02-28', to: '2028-02-29' }).success).toBe(
      true,
    )
    for (const day of ['2026-13-01', '2026-02-30', '2026-00-10', '20260520'])
      expect(RegisterQuerySchema.safeParse({ from: day }).success, day).toBe(false)
    expect(ArchiveQuerySchema.safeParse({ to: '2026-04-31' }).success).toBe(false)
    expect(ArchiveQuerySchema.safeParse({ to: '2026-04-30' }).success).toBe(true)
  })

  it('the CLI says so as a usage error, for the register and for a batch', async () => {
    for (const args of [
      ['archive', 'register', '--from', '2026-13-01'],
      ['archive', 'register', '--to', 'garbage'],
      ['archive', 'batch', '--from', '2026-02-30'],
    ]) {
      const r = await cliHere(args)
      expect(r.status, args.join(' ')).toBe(64)
      expect(r.err + r.out).toContain('日期应为存在的 YYYY-MM-DD')
      expect(r.err + r.out).not.toContain('内部错误')
    }
  })
})
