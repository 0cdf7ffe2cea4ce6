/**
 * Masks identity numbers for the screen and the logs: keep the region (6) and the last 4, as in
 * `110105********002X`. Shorter values keep their first and last quarter.
 */
export function maskIdNumber(value: string): string {
  const v = value.trim()
  if (v.length >= 15) return v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4)
  if (v.length <= 2) return '*'.repeat(v.length)
  const keep = Math.max(1, Math.floor(v.length / 4))
  return v.slice(0, keep) + '*'.repeat(v.length - 2 * keep) + v.slice(-keep)
}
