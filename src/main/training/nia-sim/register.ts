/** The simulated platform's register for training: the training documents' holders. */
import { TRAINING_DOCUMENTS } from '../emrtd-sim'
import type { RegisteredPerson } from './server'

/**
 * Foreign passports are not exit-entry documents, so the platform does not know them (a real-name
 * check says "inconsistent"); the CR permit's holder is registered with a face that will not
 * match, so trainees meet that answer too.
 */
export function trainingRegister(): RegisteredPerson[] {
  const seen = new Set<string>()
  return TRAINING_DOCUMENTS.filter((d) => d.documentCode !== 'P' && !d.faults?.unknownCsca).flatMap(
    (d) => {
      if (seen.has(d.number)) return []
      seen.add(d.number)
      return [
        {
          documentType: d.kind === 'passport' ? 'passport' : d.kind,
          documentNumber: d.number,
          names: [d.chineseName, `${d.surname} ${d.givenNames}`].filter((n) => n.length > 0),
          birthDate: d.birthDate.replace(/-/g, ''),
          faceResult: d.kind === 'cr' ? ('no-match' as const) : ('match' as const),
        },
      ]
    },
  )
}
