import { describe, expect, it } from 'vitest'
import { pickBanner } from '../../../src/renderer/src/components/DeviceBanner'
import { nextActionKey } from '../../../src/renderer/src/components/NextAction'
import { licenceTone } from '../../../src/renderer/src/views/LicenceList'
import type { DeviceStatus, LicenceSummary } from '../../../src/shared/domain'

const reader = (state: DeviceStatus['state']): DeviceStatus => ({
  id: 'r',
  kind: 'idcard',
  label: '身份证阅读器',
  state,
  simulated: false,
})

describe('device banner priority', () => {
  it('shows nothing when all is well', () => {
    expect(pickBanner([reader('ready')], { state: 'online' })).toBeNull()
  })
  it('puts an unresponsive reader above a missing one above the library being offline', () => {
    expect(pickBanner([reader('absent')], { state: 'offline' })?.key).toBe('banner.deviceAbsent')
    expect(
      pickBanner([reader('absent'), { ...reader('unresponsive'), id: 'b' }], { state: 'offline' })
        ?.key,
    ).toBe('banner.deviceUnresponsive')
    expect(pickBanner([reader('ready')], { state: 'offline' })?.key).toBe('banner.libraryOffline')
  })
})

describe('the one next action', () => {
  it('follows the flow', () => {
    expect(nextActionKey(true, false, false, 'idle')).toBe('next.placeCardTraining')
    expect(nextActionKey(false, false, false, 'idle')).toBe('next.placeCard')
    expect(nextActionKey(false, true, false, 'idle')).toBe('next.pickMatter')
    expect(nextActionKey(false, true, true, 'loading')).toBe('next.loading')
    expect(nextActionKey(false, true, true, 'failed')).toBe('next.retry')
    expect(nextActionKey(false, true, true, 'loaded')).toBe('next.review')
  })
})

describe('licence tone', () => {
  const base: LicenceSummary = {
    identifier: 'x',
    identifierCheckOk: true,
    typeCode: 't',
    typeName: '结婚证',
    number: 'n',
    holderName: 'h',
    issuer: 'i',
    issuerCode: 'c',
    issuedOn: '2020-01-01',
    validFrom: '2020-01-01',
    validTo: 'long-term',
    status: { code: '有效', label: '有效', inForce: true },
    expired: false,
  }
  it('marks what cannot be relied on', () => {
    expect(licenceTone(base)).toBe('ok')
    expect(licenceTone({ ...base, expired: true })).toBe('danger')
    expect(licenceTone({ ...base, status: { code: '吊销', label: '吊销', inForce: false } })).toBe(
      'danger',
    )
    expect(licenceTone({ ...base, status: { code: '挂起', label: '挂起', inForce: false } })).toBe(
      'caution',
    )
  })
})
