import { useCallback, useEffect, useRef, useState } from 'react'
import { useT, type MessageKey } from '../../i18n'

type CameraState =
  | { readonly kind: 'off' }
  | { readonly kind: 'requesting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'captured'; readonly dataUrl: string }
  | { readonly kind: 'error'; readonly message: MessageKey }

function errorMessage(error: unknown): MessageKey {
  const name = error instanceof DOMException ? error.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'camera.denied'
  if (name === 'NotReadableError' || name === 'AbortError') return 'camera.busy'
  return 'camera.unavailable'
}

/**
 * The counter camera for the real-person check. The camera is asked for only when the clerk
 * opens it, the stream stops as soon as a photo is taken or the panel closes, and the photo lives
 * in memory until it is submitted.
 */
export function CameraCapture({
  onSubmit,
  busy,
}: {
  onSubmit(jpegDataUrl: string): void
  busy: boolean
}) {
  const t = useT()
  const [state, setState] = useState<CameraState>({ kind: 'off' })
  const video = useRef<HTMLVideoElement>(null)
  const stream = useRef<MediaStream | null>(null)

  const stop = useCallback(() => {
    stream.current?.getTracks().forEach((track) => track.stop())
    stream.current = null
  }, [])
  useEffect(() => stop, [stop])

  const open = async () => {
    setState({ kind: 'requesting' })
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
        audio: false,
      })
      stream.current = s
      // The video element appears with the live state; the effect below attaches the stream.
      setState({ kind: 'live' })
    } catch (error) {
      stop()
      setState({ kind: 'error', message: errorMessage(error) })
    }
  }

  useEffect(() => {
    if (
      state.kind === 'live' &&
      video.current &&
      stream.current &&
      video.current.srcObject !== stream.current
    ) {
      video.current.srcObject = stream.current
      void video.current.play().catch(() => undefined)
    }
  }, [state.kind])

  const capture = () => {
    const v = video.current
    if (!v || v.videoWidth === 0) return
    const canvas = document.createElement('canvas')
    canvas.width = v.videoWidth
    canvas.height = v.videoHeight
    canvas.getContext('2d')?.drawImage(v, 0, 0)
    const dataUrl = canvas.toDataURL('image/jpeg', 0.88)
    stop()
    setState({ kind: 'captured', dataUrl })
  }

  return (
    <div className="camera" data-testid="camera" data-state={state.kind}>
      {state.kind === 'off' && (
        <button
          type="button"
          className="button small"
          onClick={() => void open()}
          data-testid="camera-open"
        >
          {t('camera.start')}
        </button>
      )}
      {state.kind === 'requesting' && <p className="camera-note">{t('camera.requesting')}</p>}
      {state.kind === 'error' && (
        <div
          className="warning caution camera-note"
          data-testid="camera-error"
          data-message={state.message}
        >
          {t(state.message)}
          <button type="button" className="button small" onClick={() => void open()}>
            {t('camera.start')}
          </button>
        </div>
      )}
      {state.kind === 'live' && (
        <>
          <video ref={video} className="camera-view" muted playsInline data-testid="camera-video" />
          <p className="camera-note">{t('camera.hint')}</p>
          <div className="camera-actions">
            <button
              type="button"
              className="button primary small"
              onClick={capture}
              data-testid="camera-capture"
            >
              {t('camera.capture')}
            </button>
            <button
              type="button"
              className="button subtle small"
              onClick={() => {
                stop()
                setState({ kind: 'off' })
              }}
            >
              {t('camera.close')}
            </button>
          </div>
        </>
      )}
      {state.kind === 'captured' && (
        <>
          <img className="camera-view" src={state.dataUrl} alt="" data-testid="camera-photo" />
          <div className="camera-actions">
            <button
              type="button"
              className="button primary small"
              disabled={busy}
              onClick={() => onSubmit(state.dataUrl)}
              data-testid="camera-submit"
            >
              {t('camera.submit')}
            </button>
            <button type="button" className="button subtle small" onClick={() => void open()}>
              {t('camera.retake')}
            </button>
          </div>
        </>
      )}
    </div>
  )
}
