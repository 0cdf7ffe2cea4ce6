/**
 * Calendar arithmetic on Shanghai civil days as plain integers (days since 1970-01-01), so that a
 * hundred thousand deadlines need no Date objects and no string formatting in the inner loop.
 * China has kept UTC+8 without daylight saving since 1991.
 */
import { SHANGHAI_OFFSET_MS } from '../../../shared/time'

export const DAY_MS = 86_400_000

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 for a `YYYY-MM-DD`, or undefined if it is not a real date. */
export function dayNumber(date: string): number | undefined {
  const m = DATE.exec(date)
  if (!m) return undefined
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined
  return ms / DAY_MS
}

export function mustDayNumber(date: string): number {
  const n = dayNumber(date)
  if (n === undefined) throw new RangeError(`not a date: ${date}`)
  return n
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear()
}

export function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS
}

/** The Shanghai civil day an instant falls on. */
export function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS)
}

/** The instant a Shanghai civil day starts. */
export function startOfShanghaiDay(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS
}

/** `YYYY-MM-DDT23:59:59+08:00`: the end of a Shanghai day as art. 14 deadlines are written. */
export function endOfDayIso(day: number): string {
  return `${dateOf(day)}T23:59:59+08:00`
}

/** The last millisecond that still counts as on time for a deadline day. */
export function endOfDayMs(day: number): number {
  return startOfShanghaiDay(day + 1) - 1
}

/**
 * An instant from an ISO date-time. A value without an offset is read as Shanghai local time, as a
 * clerk would mean it; a date alone is the start of that Shanghai day.
 */
export function parseInstant(value: string): number | undefined {
  const v = value.trim()
  if (DATE.test(v)) {
    const d = dayNumber(v)
    return d === undefined ? undefined : startOfShanghaiDay(d)
  }
  const m =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v)
  if (!m) return undefined
  const day = dayNumber(m[1]!)
  const h = Number(m[2])
  const mi = Number(m[3])
  const s = Number(m[4] ?? '0')
  if (day === undefined || h > 23 || mi > 59 || s > 59) return undefined
  const frac = m[5] ? Math.floor(Number(m[5]) * 1000) : 0
  let offsetMs = SHANGHAI_OFFSET_MS
  const z = m[6]
  if (z === 'Z') offsetMs = 0
  else if (z) {
    const sign = z[0] === '-' ? -1 : 1
    const digits = z.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2, 4))
    if (oh > 14 || om > 59) return undefined
    offsetMs = sign * (oh * 60 + om) * 60_000
  }
  return day * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + frac - offsetMs
}

/** `HH:MM` → minutes after midnight. */
export function minutesOfDay(hhmm: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm)
  if (!m) return undefined
  const h = Number(m[1])
  const mi = Number(m[2])
  if (h > 24 || mi > 59 || (h === 24 && mi > 0)) return undefined
  return h * 60 + mi
}
