import { useEffect } from 'react'

export type HotkeyMap = Partial<Record<string, (event: KeyboardEvent) => void>>

const FUNCTION_KEY = /^(F\d{1,2}|Escape)$/

/**
 * Whether the focused element does something with this key itself: any key typed into a text
 * field, and Space on a button, which presses it. (A list box keeps no letters from the views:
 * the issuance view's `B` works from its type list, whose Chinese names take no type-ahead.)
 */
function keyBelongsToFocus(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false
  const tag = target.tagName
  if (tag === 'INPUT' || tag === 'TEXTAREA' || target.isContentEditable) return true
  return key === ' ' && (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A')
}

/**
 * Window-wide keys. Function keys and Escape always act; any other key (like `/`, `V` or Space)
 * acts only when the focused field or button would not use it itself, so typing in a search box
 * or pressing a focused button never triggers a hotkey instead.
 */
export function useHotkeys(map: HotkeyMap): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!FUNCTION_KEY.test(event.key) && keyBelongsToFocus(event.target, event.key)) return
      const handler = map[event.key]
      if (handler) {
        event.preventDefault()
        handler(event)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [map])
}
