import { checkIdentifier } from '../../../shared/ids'
import { printJson, type Command } from '../command'

export const idCommands: Command[] = [
  {
    path: ['id', 'check'],
    usage: 'id check <value>',
    summary: '校验公民身份号码、统一社会信用代码或电子证照标识',
    run({ positionals }, ctx) {
      const value = positionals[0]
      if (!value) {
        ctx.stderr('用法: id check <value>\n')
        return 64
      }
      printJson(ctx, checkIdentifier(value))
      return 0
    },
  },
]
