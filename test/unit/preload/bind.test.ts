import { describe, expect, it, vi } from 'vitest'
import { bindCounterApi, type IpcRendererLike } from '../../../src/preload/bind'
import { EVENT_PREFIX, INVOKE_PREFIX, methods } from '../../../src/shared/api'
import { CounterApiError } from '../../../src/shared/client'

function fakeIpc(reply: unknown = { ok: true, value: null }) {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>()
  const ipc: IpcRendererLike & { emit(channel: string, payload: unknown): void } = {
    invoke: vi.fn(async () => reply),
    on: (c, l) => listeners.set(c, (listeners.get(c) ?? new Set()).add(l)),
    removeListener: (c, l) => listeners.get(c)?.delete(l),
    emit: (c, p) => listeners.get(c)?.forEach((l) => l({ sender: 'ipc-event-must-not-leak' }, p)),
  }
  return ipc
}

describe('preload binding', () => {
  it('exposes every contract method under its namespace, and nothing else but `on`', () => {
    const api = bindCounterApi(fakeIpc()) as unknown as Record<string, Record<string, unknown>>
    const expected = new Set(Object.keys(methods).map((m) => m.split('.')[0]))
    expect(new Set(Object.keys(api))).toEqual(new Set([...expected, 'on']))
    for (const name of Object.keys(methods)) {
      const [ns, m] = name.split('.')
      expect(typeof api[ns!]![m!]).toBe('function')
    }
  })

  it('sends valid calls on the prefixed channel and unwraps the envelope', async () => {
    const ipc = fakeIpc({ ok: true, value: { holder: null, matterCode: '1' } })
    const api = bindCounterApi(ipc)
    expect(await api.session.selectMatter('410100-WJW-0012')).toEqual({
      holder: null,
      matterCode: '1',
    })
    expect(ipc.invoke).toHaveBeenCalledWith(
      INVOKE_PREFIX + 'session.selectMatter',
      '410100-WJW-0012',
    )
  })

  it('refuses invalid arguments before they cross', async () => {
    const ipc = fakeIpc()
    const api = bindCounterApi(ipc) as unknown as {
      session: { selectMatter(x: unknown): Promise<unknown> }
    }
    await expect(api.session.selectMatter({ evil: true })).rejects.toMatchObject({
      code: 'IPC_BAD_ARGUMENT',
    })
    expect(ipc.invoke).not.toHaveBeenCalled()
  })

  it('rejects with the core’s error for a failed call', async () => {
    const api = bindCounterApi(
      fakeIpc({
        ok: false,
        error: { code: 'SCOPE_NO_HOLDER', message: '尚未识别办事人', hint: 'h' },
      }),
    )
    const error = await api.licences.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CounterApiError)
    expect(error).toMatchObject({ code: 'SCOPE_NO_HOLDER', message: '尚未识别办事人' })
  })

  it('subscribes only to contract events and passes the payload alone', () => {
    const ipc = fakeIpc()
    const api = bindCounterApi(ipc)
    const seen: unknown[] = []
    const off = api.on('library', (p) => seen.push(p))
    ipc.emit(EVENT_PREFIX + 'library', { state: 'online' })
    ipc.emit(EVENT_PREFIX + 'library', { state: 'bogus' })
    off()
    ipc.emit(EVENT_PREFIX + 'library', { state: 'offline' })
    expect(seen).toEqual([{ state: 'online' }])
    expect(() => (api.on as (e: string, l: () => void) => void)('ipc-anything', () => {})).toThrow(
      TypeError,
    )
  })
})
