/**
 * Calendar dates at the window are Shanghai dates. China has had no daylight saving since 1991,
 * so the offset is a constant.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000

/** `YYYY-MM-DD` in Asia/Shanghai for an instant. */
export function shanghaiDate(at: Date | number = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime()
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)
}

/** A Shanghai calendar date's first instant, as a UTC ISO string (how instants are stored). */
export function shanghaiDayStart(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString()
}

/** The first instant after a Shanghai calendar date: the exclusive end of a range that ends on it. */
export function shanghaiDayAfter(date: string): string {
  return new Date(Date.parse(shanghaiDayStart(date)) + 86_400_000).toISOString()
}

/** Whether a validity end (`YYYY-MM-DD` or `long-term`) has passed on a Shanghai calendar day. */
export function isPastValidity(validTo: string, today: string): boolean {
  return validTo !== 'long-term' && validTo !== '长期' && validTo < today
}
