/** Desktop notifications for unsent licences near (or past) their push deadline. */
import { Notification } from 'electron'
import type { DeadlineAlert } from '../../shared/domain'
import type { Core } from '../core'
import { alertNotice } from '../sync'

export function notifyDeadlines(core: Core): () => void {
  return core.onEvent((event, payload) => {
    if (event !== 'sync.deadlineAlert' || !Notification.isSupported()) return
    const { title, body } = alertNotice(payload as DeadlineAlert)
    new Notification({ title, body, urgency: 'critical' }).show()
  })
}
