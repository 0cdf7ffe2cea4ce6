/**
 * HID packetisation as a per-vendor profile. No public source documents how an ID card reader
 * lays GA 467 frames into HID reports, so the layout is configuration: the report size, the
 * report id (0 for unnumbered reports) and whether each report starts with a count of the bytes
 * it carries. Pure functions; the frame decoder above them never knows it is on HID.
 */
import { CounterError } from '../../../shared/errors'

export interface HidProfile {
  /** Payload bytes per report, without the report-id byte. */
  readonly reportSize: number
  /** 0 for unnumbered reports. */
  readonly reportId: number
  /** `u8`: the first payload byte says how many of the rest carry data. */
  readonly lengthPrefix: 'none' | 'u8'
  /** What fills the unused end of the last report. */
  readonly padByte: number
}

export const DEFAULT_HID_PROFILE: HidProfile = {
  reportSize: 64,
  reportId: 0,
  lengthPrefix: 'u8',
  padByte: 0,
}

function invalid(reason: string): CounterError {
  return new CounterError('IDCARD_HID_REPORT_INVALID', { params: { reason } })
}

/**
 * The configuration schema refuses such a profile by key; this guards profiles built in code, with
 * an error that names the problem rather than one that reads as "no reader".
 */
export function checkHidProfile(p: HidProfile): void {
  const bad = (reason: string) =>
    new CounterError('IDCARD_HID_PROFILE_INVALID', { params: { reason } })
  if (!Number.isInteger(p.reportSize) || p.reportSize < 2 || p.reportSize > 1024)
    throw bad(`report.size=${p.reportSize}, 2–1024`)
  if (!Number.isInteger(p.reportId) || p.reportId < 0 || p.reportId > 255)
    throw bad(`report.id=${p.reportId}, 0–255`)
  if (p.lengthPrefix === 'u8' && p.reportSize - 1 > 255)
    throw bad(`report.size=${p.reportSize} > 256, lengthPrefix=u8`)
}

const capacity = (p: HidProfile) => (p.lengthPrefix === 'u8' ? p.reportSize - 1 : p.reportSize)

/**
 * Output reports for some bytes, each as node-hid writes it: the report id first (0 when
 * unnumbered), then exactly `reportSize` payload bytes.
 */
export function packetise(bytes: Uint8Array, p: HidProfile): Uint8Array[] {
  const room = capacity(p)
  const reports: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += room) {
    const part = bytes.subarray(at, Math.min(bytes.length, at + room))
    const report = new Uint8Array(1 + p.reportSize).fill(p.padByte)
    report[0] = p.reportId
    if (p.lengthPrefix === 'u8') {
      report[1] = part.length
      report.set(part, 2)
    } else {
      report.set(part, 1)
    }
    reports.push(report)
  }
  return reports
}

/**
 * The bytes an input report carries. Input reports arrive without the id byte when unnumbered
 * and with it when numbered (as hidapi delivers them).
 */
export function depacketise(report: Uint8Array, p: HidProfile): Uint8Array {
  let payload = report
  if (p.reportId !== 0) {
    if (report[0] !== p.reportId) throw invalid(`report id ${report[0] ?? 'none'}`)
    payload = report.subarray(1)
  }
  if (p.lengthPrefix === 'none') return payload
  const n = payload[0]
  if (n === undefined) throw invalid('empty report')
  if (n > payload.length - 1 || n > capacity(p)) throw invalid(`count ${n}`)
  return payload.subarray(1, 1 + n)
}

/** Builds an input report as a device would send it (used by the simulated HID reader). */
export function inputReports(bytes: Uint8Array, p: HidProfile): Uint8Array[] {
  return packetise(bytes, p).map((r) => (p.reportId !== 0 ? r : r.subarray(1)))
}
