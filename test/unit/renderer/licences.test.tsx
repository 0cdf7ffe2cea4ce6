/**
 * The licence list as the clerk reads it: the seal column says only what was checked, the
 * warnings for unusable licences sit under their row, offline data is labelled, and nothing of an
 * applicant survives the next one.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CounterApi } from '../../../src/shared/api'
import type {
  CopyResult,
  IdCardHolder,
  LicenceList as List,
  LicencePreview,
  LicenceSummary,
  Verification,
} from '../../../src/shared/domain'
import { useLicences } from '../../../src/renderer/src/stores/licences'
import { useSession } from '../../../src/renderer/src/stores/session'
import { LicenceDetail } from '../../../src/renderer/src/views/LicenceDetail'
import { LicenceList, licenceTone } from '../../../src/renderer/src/views/LicenceList'

const holder = (readAt: string): IdCardHolder => ({
  source: 'idcard',
  cardType: 'resident',
  holderTypeCode: '111',
  name: '甲',
  sex: 'male',
  birthDate: '1980-01-01',
  idNumberMasked: '110105********0011',
  idNumberCheckOk: true,
  validFrom: '2010-01-01',
  validTo: 'long-term',
  expired: false,
  photo: { state: 'no-decoder' },
  readAt,
})

const licence = (id: string, over: Partial<LicenceSummary> = {}): LicenceSummary => ({
  identifier: id,
  identifierCheckOk: true,
  typeCode: '11100000717832007F001',
  typeName: '不动产权证书',
  number: `N-${id}`,
  holderName: '甲',
  issuer: '郑州市不动产登记中心',
  issuerCode: '12410100MB1832669N',
  issuedOn: '2019-07-18',
  validFrom: '2019-07-18',
  validTo: '2089-07-17',
  status: { code: '有效', label: '有效', inForce: true },
  expired: false,
  ...over,
})

function show(list: List): void {
  useSession.setState({
    holder: holder('t1'),
    matterCode: 'M1',
    licences: { state: 'loaded', list },
    epoch: useSession.getState().epoch,
  })
}

beforeEach(() => {
  Object.defineProperty(window, 'counter', {
    value: { on: vi.fn(() => () => {}) } as unknown as CounterApi,
    configurable: true,
  })
  useSession.setState({ holder: null, matterCode: null, licences: { state: 'idle' }, epoch: 0 })
  useLicences.getState().reset(0)
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('licence list', () => {
  it('shows 未核验 until a seal was checked, and the check’s result after', () => {
    show({
      matterCode: 'M1',
      fetchedAt: '2026-03-02T02:00:00Z',
      missingTypes: [],
      items: [
        licence('a'),
        licence('b', { seal: { state: 'valid', signer: '郑州市不动产登记中心' } }),
      ],
    })
    render(<LicenceList />)
    const seals = screen.getAllByTestId('licence-seal').map((e) => [e.dataset.seal, e.textContent])
    expect(seals).toEqual([
      ['unchecked', '未核验'],
      ['valid', '签章有效'],
    ])
  })

  it('puts an unmissable warning under an altered licence and will not let it be picked', () => {
    show({
      matterCode: 'M1',
      fetchedAt: '2026-03-02T02:00:00Z',
      missingTypes: [],
      items: [licence('a', { seal: { state: 'altered', reason: 'Content.xml 与签名时不一致' } })],
    })
    render(<LicenceList />)
    expect(screen.getByTestId('licence-row').dataset.tone).toBe('danger')
    expect(screen.getByTestId('licence-warning').textContent).toContain('文件签名后被改动')
    expect((screen.getByTestId('licence-pick') as HTMLInputElement).disabled).toBe(true)
  })

  it.each([
    [{ file: 'inconsistent', info: 'consistent' } as const, '文件与证照库记录不一致'],
    [{ file: 'consistent', info: 'inconsistent' } as const, '证照信息与证照库记录不一致'],
    [{ file: 'unknown', info: 'not-found' } as const, '证照库中查无此证'],
  ])(
    'a licence the library disowns (%j) is red in the list and cannot be picked',
    (library, text) => {
      show({
        matterCode: 'M1',
        fetchedAt: '2026-03-02T02:00:00Z',
        missingTypes: [],
        items: [licence('a'), licence('b')],
      })
      const v: Verification = {
        identifier: 'a',
        checkedAt: '2026-03-02T02:01:00Z',
        seal: { state: 'unchecked' },
        library,
        status: { code: '有效', label: '有效', inForce: true },
        expired: false,
        verdict: 'danger',
        findings: [],
      }
      useLicences.setState({ verifications: { a: v } })
      render(<LicenceList />)
      const [a, b] = screen.getAllByTestId('licence-row')
      expect([a!.dataset.tone, b!.dataset.tone]).toEqual(['danger', 'ok'])
      expect(screen.getByTestId('licence-warning').textContent).toContain(text)
      const [pickA, pickB] = screen.getAllByTestId('licence-pick') as HTMLInputElement[]
      expect([pickA!.disabled, pickB!.disabled]).toEqual([true, false])
      // Nor by keyboard: Space on the cursor row (the first) picks nothing.
      fireEvent.keyDown(screen.getByTestId('licence-table'), { key: ' ' })
      expect(useLicences.getState().selected).toEqual([])
      fireEvent.keyDown(screen.getByTestId('licence-table'), { key: 'ArrowDown' })
      fireEvent.keyDown(screen.getByTestId('licence-table'), { key: ' ' })
      expect(useLicences.getState().selected).toEqual(['b'])
    },
  )

  it('labels a list from the offline cache with its time', () => {
    show({
      matterCode: 'M1',
      fetchedAt: '2026-03-02T02:00:00Z',
      missingTypes: [],
      items: [licence('a')],
      offline: { asOf: '2026-03-02T02:00:00Z', reason: 'LIBRARY_OFFLINE' },
    })
    render(<LicenceList />)
    expect(screen.getByTestId('licence-offline').textContent).toMatch(/^离线 — 数据截至 /)
  })

  it('tones: expired and revoked are danger, suspended caution, a failed seal danger', () => {
    expect(licenceTone(licence('a', { expired: true }))).toBe('danger')
    expect(
      licenceTone(licence('a', { status: { code: '吊销', label: '吊销', inForce: false } })),
    ).toBe('danger')
    expect(
      licenceTone(licence('a', { status: { code: '挂起', label: '挂起', inForce: false } })),
    ).toBe('caution')
    expect(licenceTone(licence('a'), { state: 'untrusted', reason: 'x' })).toBe('danger')
    expect(licenceTone(licence('a'), { state: 'unchecked' })).toBe('ok')
  })
})

describe('copy download', () => {
  function openDetail(copy: CopyResult): void {
    // jsdom has no layout: the document viewer only needs the observer to exist.
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    )
    const summary = licence('a')
    const preview: LicencePreview = {
      summary,
      faceFields: [],
      holderIdentityMasked: '110105********0011',
      document: { kind: 'unavailable', code: 'X', reason: '测试' },
      format: 'png',
      seal: { state: 'unchecked' },
      fetchedAt: '2026-03-02T02:00:00Z',
    }
    useLicences.setState({
      detail: { state: 'open', identifier: 'a', preview },
      copy: { state: 'done', result: copy },
    })
    render(<LicenceDetail />)
  }
  const base = {
    identifier: 'a',
    bytes: 10,
    sha256: '0'.repeat(64),
    savedAt: '2026-03-02T02:00:00Z',
  }

  it('tells the clerk when the library gave only an unannotated image', () => {
    openDetail({
      ...base,
      annotated: false,
      fileName: '不动产权证书-N-a-未加注副本.png',
      path: 'copies/2026-03-02/1-不动产权证书-N-a-未加注副本.png',
    })
    const note = screen.getByTestId('detail-copied')
    expect(note.dataset.annotated).toBe('false')
    expect(note.textContent).toContain('未加注的图像')
    expect(note.textContent).toContain('不是加注件')
  })

  it('an annotated copy says where it went and until when it is valid', () => {
    openDetail({
      ...base,
      annotated: true,
      fileName: '不动产权证书-N-a-加注件.ofd',
      path: 'copies/2026-03-02/1-不动产权证书-N-a-加注件.ofd',
      annotation: {
        madeAt: '2026-03-02T02:00:00Z',
        maker: '库',
        reason: '事由',
        expiresAt: '2026-03-09',
      },
    })
    const note = screen.getByTestId('detail-copied')
    expect(note.dataset.annotated).toBe('true')
    expect(note.textContent).toContain('已保存')
    expect(note.textContent).toContain('2026-03-09')
    expect(note.textContent).not.toContain('未加注')
  })
})

describe('licence workspace', () => {
  it('forgets picks, checks and the open licence when the applicant changes; keeps a kept matter', () => {
    useSession.getState().apply({ holder: holder('t1'), matterCode: null })
    useLicences.setState({
      selected: ['a'],
      serial: 'ZZJS-1',
      detail: { state: 'loading', identifier: 'a' },
      pinnedMatter: 'M1',
    })
    useSession.getState().apply({ holder: holder('t2'), matterCode: null })
    expect(useLicences.getState()).toMatchObject({
      selected: [],
      serial: '',
      detail: { state: 'closed' },
      verifications: {},
      pinnedMatter: 'M1',
      epoch: useSession.getState().epoch,
    })
  })
})
