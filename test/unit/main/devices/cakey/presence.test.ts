/** How a provider turns looks at its library's list and single events into insert/remove reports. */
import { describe, expect, it } from 'vitest'
import type { TokenEvent } from '../../../../../src/main/devices'
import { Presence } from '../../../../../src/main/devices/cakey/presence'

function presence() {
  const events: TokenEvent[] = []
  const dropped: string[] = []
  const p = new Presence((e) => events.push(e), {
    what: 'test',
    onRemoved: (id) => dropped.push(id),
  })
  return { p, events, dropped }
}

const list =
  (...ids: string[]) =>
  async () =>
    ids

describe('Presence', () => {
  it('reports what appeared and what went away since the last look, once', async () => {
    const { p, events, dropped } = presence()
    await p.look(list('a', 'b'))
    await p.look(list('a', 'b'))
    await p.look(list('b', 'c'))
    expect(events).toEqual([
      { type: 'inserted', tokenId: 'a' },
      { type: 'inserted', tokenId: 'b' },
      { type: 'inserted', tokenId: 'c' },
      { type: 'removed', tokenId: 'a' },
    ])
    expect(dropped).toEqual(['a'])
  })

  it('a key an event reported is not reported again by the next look', async () => {
    const { p, events } = presence()
    p.inserted('a')
    await p.look(list('a'))
    p.removed('a')
    await p.look(list())
    expect(events.map((e) => `${e.type} ${e.tokenId}`)).toEqual(['inserted a', 'removed a'])
  })

  it('a failing look changes nothing, and a look still running is not started again', async () => {
    const { p, events } = presence()
    await p.look(list('a'))
    await p.look(async () => {
      throw new Error('library gone')
    })
    let release!: () => void
    let calls = 0
    const slow = async () => {
      calls++
      await new Promise<void>((r) => (release = r))
      return ['a', 'b']
    }
    const first = p.look(slow)
    await p.look(slow)
    release()
    await first
    expect(calls).toBe(1)
    expect(events.map((e) => `${e.type} ${e.tokenId}`)).toEqual(['inserted a', 'inserted b'])
  })
})
