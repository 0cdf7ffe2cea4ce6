/**
 * Full-jitter exponential backoff: the wait is drawn uniformly from [0, min(cap, base·2^(n−1))],
 * so terminals that lost the library at the same moment do not all come back at the same moment.
 */
export interface BackoffOptions {
  readonly baseMs: number
  readonly capMs: number
}

export function fullJitter(
  attempt: number,
  o: BackoffOptions,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.min(attempt, 40))
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** (n - 1))
  return Math.floor(random() * ceiling)
}
