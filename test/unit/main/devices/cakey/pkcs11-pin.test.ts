/**
 * What a PKCS#11 token's PIN flags say: locked, final try, count low — never a count. The
 * terminal's own count is shown, capped by them.
 */
import { describe, expect, it } from 'vitest'
import { attemptsShown } from '../../../../../src/main/auth/service'
import { pinStatusOf } from '../../../../../src/main/devices'

const COUNT_LOW = 0x10000
const FINAL_TRY = 0x20000
const LOCKED = 0x40000
const INITIALIZED = 0x400

describe('PKCS#11 PIN flags', () => {
  it.each([
    [INITIALIZED, { locked: false, finalTry: false, countLow: false }],
    [COUNT_LOW, { locked: false, finalTry: false, countLow: true }],
    [COUNT_LOW | FINAL_TRY, { locked: false, finalTry: true, countLow: true }],
    [LOCKED | FINAL_TRY, { locked: true, remaining: 0, finalTry: false, countLow: false }],
  ])('flags 0x%s', (flags, status) => {
    expect(pinStatusOf(flags)).toEqual(status)
  })

  it('caps the terminal’s count: one on the final try, fewer than all when the count is low', () => {
    expect(attemptsShown(5, pinStatusOf(0), 5)).toBe(5)
    expect(attemptsShown(5, pinStatusOf(COUNT_LOW), 5)).toBe(4)
    expect(attemptsShown(2, pinStatusOf(COUNT_LOW), 5)).toBe(2)
    expect(attemptsShown(5, pinStatusOf(FINAL_TRY | COUNT_LOW), 5)).toBe(1)
    expect(attemptsShown(1, pinStatusOf(COUNT_LOW), 1)).toBe(1)
    expect(attemptsShown(3, undefined, 5)).toBe(3)
  })
})
