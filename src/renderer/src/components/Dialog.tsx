import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { useHotkeys } from '../hooks/useHotkeys'

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export interface DialogProps {
  readonly title: ReactNode
  readonly testId: string
  /** Extra classes beside `dialog` (e.g. `wide`). */
  readonly className?: string
  /** Exposed as `data-state` for styles and tests. */
  readonly state?: string
  /** What Escape does; leave it out while the dialog must not be dismissed (saving). */
  readonly onEscape?: () => void
  readonly children: ReactNode
}

/**
 * A modal dialog as the clerk works it from the keyboard: labelled by its title, Escape closes it,
 * Tab stays inside it, and when it goes the focus returns to where the clerk was, so the next
 * keystroke lands where the clerk expects and not on the page body.
 */
export function Dialog({ title, testId, className, state, onEscape, children }: DialogProps) {
  const titleId = useId()
  const box = useRef<HTMLDivElement>(null)
  // Read on the first render: by the time effects run, an autoFocus field has taken the focus.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  )

  const hotkeys = useMemo(() => (onEscape ? { Escape: () => onEscape() } : {}), [onEscape])
  useHotkeys(hotkeys)

  useEffect(() => {
    // A field marked autoFocus already holds the focus; otherwise the dialog itself takes it.
    if (!box.current?.contains(document.activeElement)) box.current?.focus()
    return () => {
      if (opener?.isConnected) opener.focus()
    }
  }, [opener])

  const keepTabInside = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Tab' || !box.current) return
    const stops = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = stops[0]
    const last = stops[stops.length - 1]
    if (!first || !last) {
      event.preventDefault()
      return
    }
    const active = document.activeElement
    if (event.shiftKey && (active === first || active === box.current)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && active === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={box}
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        data-state={state}
        tabIndex={-1}
        onKeyDown={keepTabInside}
      >
        <h3 id={titleId}>{title}</h3>
        {children}
      </div>
    </div>
  )
}
