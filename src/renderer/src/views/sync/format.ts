/**
 * What the dashboard shows beside the numbers: times as the hall reads them and how urgent an
 * item is. Pure, so it is tested without a browser.
 */
import type { OutboxItemView } from '../../../../shared/domain'
import { SHANGHAI_OFFSET_MS } from '../../../../shared/time'

/**
 * `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai, whatever time zone the computer is set to: deadlines
 * are Shanghai days, so completion and attempt times beside them must be Shanghai times too.
 */
export function shanghaiTime(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')
}

/**
 * Overdue; due soon when no more working minutes are left than `sync.alertWorkingMinutes` (the
 * threshold the summary counts and the desktop alerts with); otherwise ok.
 */
export function urgency(i: OutboxItemView, alertMinutes: number): 'overdue' | 'soon' | 'ok' {
  if (i.overdue) return 'overdue'
  return i.workingMinutesLeft <= alertMinutes ? 'soon' : 'ok'
}

/** The due-soon threshold as the tile names it: whole hours when it is, else minutes. */
export function dueSoonLimit(minutes: number): { unit: 'hours' | 'minutes'; n: number } {
  return minutes >= 60 && minutes % 60 === 0
    ? { unit: 'hours', n: minutes / 60 }
    : { unit: 'minutes', n: minutes }
}
