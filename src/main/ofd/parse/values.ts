/**
 * OFD's attribute value types (ST_Box, ST_Array, ST_Pos …), parsed strictly: every number must be
 * finite and of a size a document can mean, so a hostile `1e308` becomes an error, not an
 * Infinity that poisons every transform after it.
 */
import type { Matrix } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import type { Box } from '../types'

/** Larger than any page (10 km) yet far from overflowing anything. */
export const MAX_COORD = 1e7

export class ValueError extends Error {}

export function invalid(part: string, reason: string): CounterError {
  return new CounterError('OFD_STRUCTURE_INVALID', { params: { part, reason } })
}

export function parseNumber(raw: string): number {
  const v = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(v) || Math.abs(v) > MAX_COORD)
    throw new ValueError(`数值无效：${raw.slice(0, 40)}`)
  return v
}

export function parseNumbers(raw: string): number[] {
  const parts = raw
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
  return parts.map(parseNumber)
}

export function parseBox(raw: string): Box {
  const v = parseNumbers(raw)
  if (v.length !== 4) throw new ValueError(`矩形应为 4 个数：${raw.slice(0, 40)}`)
  if (v[2]! < 0 || v[3]! < 0) throw new ValueError(`矩形宽高为负：${raw.slice(0, 40)}`)
  return [v[0]!, v[1]!, v[2]!, v[3]!]
}

export function parseMatrix(raw: string): Matrix {
  const v = parseNumbers(raw)
  if (v.length !== 6) throw new ValueError(`变换矩阵应为 6 个数：${raw.slice(0, 40)}`)
  return [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!]
}

/**
 * DeltaX / DeltaY: numbers, where `g n v` stands for n copies of v. Expansion stops at `max`
 * values (one fewer than the characters it spaces), so `g 999999999 1` costs nothing.
 */
export function parseDeltas(raw: string, max: number): number[] {
  const tokens = raw
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
  const out: number[] = []
  for (let i = 0; i < tokens.length && out.length < max; i++) {
    const t = tokens[i]!
    if (t === 'g') {
      const count = Number(tokens[i + 1])
      const value = parseNumber(tokens[i + 2] ?? '')
      if (!Number.isInteger(count) || count < 0)
        throw new ValueError(`g 重复次数无效：${tokens[i + 1]}`)
      const take = Math.min(count, max - out.length)
      for (let k = 0; k < take; k++) out.push(value)
      i += 2
    } else {
      out.push(parseNumber(t))
    }
  }
  return out
}

export function parseBool(raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback
  const v = raw.trim().toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  return fallback
}

export function parseIntAttr(
  raw: string | undefined,
  fallback: number,
  min = 0,
  max = 1e9,
): number {
  if (raw === undefined || raw.trim() === '') return fallback
  const v = Number(raw)
  if (!Number.isInteger(v) || v < min || v > max)
    throw new ValueError(`整数无效：${raw.slice(0, 40)}`)
  return v
}
