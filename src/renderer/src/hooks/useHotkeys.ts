import { useEffect } from 'react'

export type HotkeyMap = Partial<Record<string, (event: KeyboardEvent) => void>>

/**
 * Window-wide function keys. Printable keys (like `/`) fire only when no text field has focus, so
 * typing in a search box never triggers an action.
 */
export function useHotkeys(map: HotkeyMap): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null
      const typing =
        !!target &&
        (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)
      const isFunctionKey = /^F\d{1,2}$/.test(event.key) || event.key === 'Escape'
      if (typing && !isFunctionKey) return
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
