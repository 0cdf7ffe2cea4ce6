/**
 * The training set-up of CA keys: one simulator holding every training key, the staff key in
 * from the start, the roster that knows the training staff, and the CA root and CRL to trust.
 */
import { trainingPki, type TrainingKey } from './ca'
import { SkfSimulator } from './skf-simulator'

/** Every simulated key's PIN (printed on the training panel). */
export const TRAINING_PIN = '123456'

export interface TrainingCaKeys {
  readonly simulator: SkfSimulator
  readonly keys: readonly TrainingKey[]
  readonly root: Uint8Array
  crl(now?: Date): Uint8Array
  /** The training staff roster, in the roster file format. */
  readonly roster: {
    readonly version: string
    readonly staff: readonly {
      readonly name: string
      readonly idNumber: string
      readonly role: 'clerk' | 'supervisor' | 'administrator'
    }[]
  }
}

export function createTrainingCaKeys(options: { insertStaff?: boolean } = {}): TrainingCaKeys {
  const pki = trainingPki()
  const simulator = new SkfSimulator(
    pki.keys.map((k) => ({
      id: k.id,
      label: k.label,
      serial: `SIM${k.serial.toString(16).toUpperCase()}`,
      application: { staff: 'GOV_STAFF', enterprise: 'ENT_APP', seal: 'SEAL_APP' }[k.kind],
      container: 'SIGN',
      pin: TRAINING_PIN,
      maxRetries: 6,
      privateKey: k.privateKey,
      publicKey: k.publicKey,
      certificate: k.certificate,
    })),
  )
  if (options.insertStaff ?? true) simulator.insert('staff-trainee')
  return {
    simulator,
    keys: pki.keys,
    root: pki.root,
    crl: pki.crl,
    roster: {
      version: 'training',
      staff: pki.keys
        .filter((k) => k.kind === 'staff')
        .map((k) => ({ name: k.holderName, idNumber: k.code, role: k.role ?? 'clerk' })),
    },
  }
}
