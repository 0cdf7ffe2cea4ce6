import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CounterApi, SessionView } from '../../../src/shared/api'
import type { IdCardHolder, LicenceList } from '../../../src/shared/domain'
import { useSession } from '../../../src/renderer/src/stores/session'
import { HolderPanel } from '../../../src/renderer/src/views/HolderPanel'

const holder = (name: string, readAt: string): IdCardHolder => ({
  source: 'idcard',
  cardType: 'resident',
  holderTypeCode: '111',
  name,
  sex: 'female',
  nation: '汉',
  birthDate: '1949-12-31',
  address: '北京市东城区',
  idNumberMasked: '110105********002X',
  idNumberCheckOk: true,
  authority: '北京市公安局东城分局',
  validFrom: '2010-01-01',
  validTo: 'long-term',
  expired: false,
  photo: { state: 'no-decoder' },
  readAt,
})

let resolveList: (l: LicenceList) => void

beforeEach(() => {
  useSession.setState({ holder: null, matterCode: null, licences: { state: 'idle' }, epoch: 0 })
  const api = {
    session: {
      selectMatter: vi.fn(async (code: string): Promise<SessionView> => ({
        holder: useSession.getState().holder,
        matterCode: code,
      })),
      next: vi.fn(async () => null),
    },
    licences: { list: vi.fn(() => new Promise<LicenceList>((r) => (resolveList = r))) },
  } as unknown as CounterApi
  Object.defineProperty(window, 'counter', { value: api, configurable: true })
})
afterEach(cleanup)

describe('session store', () => {
  it('drops a late licence list that belongs to the previous applicant', async () => {
    useSession.getState().apply({ holder: holder('甲', '2026-01-01T00:00:00Z'), matterCode: null })
    const pending = useSession.getState().selectMatter('M1')
    await vi.waitFor(() => expect(useSession.getState().licences.state).toBe('loading'))
    useSession.getState().apply({ holder: holder('乙', '2026-01-01T00:01:00Z'), matterCode: null })
    resolveList({
      matterCode: 'M1',
      items: [],
      missingTypes: [],
      fetchedAt: '2026-01-01T00:00:01Z',
    })
    await pending
    expect(useSession.getState().holder?.name).toBe('乙')
    expect(useSession.getState().licences).toEqual({ state: 'idle' })
  })

  it('forgets everything on 下一位', async () => {
    useSession.getState().apply({ holder: holder('甲', '2026-01-01T00:00:00Z'), matterCode: 'M1' })
    await useSession.getState().next()
    expect(useSession.getState()).toMatchObject({
      holder: null,
      matterCode: null,
      licences: { state: 'idle' },
    })
  })
})

describe('holder panel', () => {
  it('shows the large name, the masked number and the long-term validity', () => {
    useSession.getState().apply({ holder: holder('王小丫', 't1'), matterCode: null })
    render(<HolderPanel />)
    expect(screen.getByTestId('holder-name').textContent).toBe('王小丫')
    expect(screen.getByTestId('holder-id-number').textContent).toBe('110105********002X')
    expect(screen.getByTestId('holder-validity').textContent).toBe('2010-01-01 — 长期')
    expect(screen.getByTestId('photo-placeholder').dataset.state).toBe('no-decoder')
    expect(screen.queryByRole('img')).toBeNull()
  })
})
