/** Every command group. Add a domain's commands with one import and one spread. */
import type { Command } from '../command'
import { archiveCommands } from './archive'
import { auditCommands } from './audit'
import { cakeyCommands } from './cakey'
import { calendarCommands } from './calendar'
import { certCommands } from './cert'
import { configCommands } from './config'
import { emrtdCommands, mrzCommands } from './emrtd'
import { frontendCommands } from './frontend'
import { idCommands } from './id'
import { idcardCommands } from './idcard'
import { issuanceCommands } from './issuance'
import { licenceCommands } from './licence'
import { ofdCommands } from './ofd'
import { sandboxCommands } from './sandbox'
import { outboxCommands, syncCommands } from './sync'

export const commands: readonly Command[] = [
  ...idCommands,
  ...configCommands,
  ...sandboxCommands,
  ...idcardCommands,
  ...emrtdCommands,
  ...mrzCommands,
  ...calendarCommands,
  ...issuanceCommands,
  ...outboxCommands,
  ...syncCommands,
  ...frontendCommands,
  ...ofdCommands,
  ...archiveCommands,
  ...cakeyCommands,
  ...certCommands,
  ...licenceCommands,
  ...auditCommands,
]
