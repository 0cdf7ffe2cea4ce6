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

/** Whether a validity end (`YYYY-MM-DD` or `long-term`) has passed on a Shanghai calendar day. */
export function isPastValidity(validTo: string, today: string): boolean {
  return validTo !== 'long-term' && validTo !== '长期' && validTo < today
}
