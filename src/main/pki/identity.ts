/**
 * Who a certificate names: a person (name + citizen ID number) or an enterprise (name + USCC).
 * Chinese CAs put the number in different places — the GB/T 20518 IdentifyCode extension, the
 * subject's serialNumber, OU, UID or organizationIdentifier, or inside the CN (`张三@4101…`) —
 * often with a prefix (`SF`, `NTRCN-`). The rules below say where to look, in order; they are
 * configuration (`pki.identity`), so a province with its own CA can add its encoding without code.
 *
 * Every rule is read, not just the first that matches: a staff member's or employee's personal
 * certificate ("个人（机构员工）证书") also carries the employer's USCC — in the OrganizationCode
 * extension, in OU or in organizationIdentifier — often ahead of the person's own number. A
 * certificate naming both is a person's, with the organisation kept beside (`whenBoth`).
 */
import { CounterError } from '../../shared/errors'
import { checkCitizenId, checkUscc } from '../../shared/ids'
import { children, decodeOid, readOne, TagClass, type Tlv } from './asn1'
import { nameValues } from './name'
import { OID } from './oids'
import { cleanText, decodeLoose, decodeString } from './strings'
import { extension, type Certificate } from './x509'

export interface IdentityRule {
  /** Where to look: a subject attribute, an extension, or a subjectAltName otherName. */
  readonly from: 'subject' | 'extension' | 'san'
  /** Attribute short name or OID (subject); extension OID; otherName type OID (san). */
  readonly field: string
  /** Which number the field holds; `auto` takes whichever passes its check. */
  readonly kind: 'person' | 'enterprise' | 'auto'
  /** Optional regular expression; its `id` group (or the whole match) is the number. */
  readonly pattern?: string
}

export interface IdentityMapping {
  readonly rules: readonly IdentityRule[]
  /** Subject attributes holding a person's name, tried in order. */
  readonly personName: readonly string[]
  /** Subject attributes holding an enterprise's name, tried in order. */
  readonly enterpriseName: readonly string[]
  /** Subject attributes holding the name of a person's organisation, tried in order. */
  readonly organizationName?: readonly string[]
  /**
   * What a certificate carrying both a citizen ID number and a USCC names: the person (default:
   * an employee's certificate, the organisation kept beside) or, for a CA that writes its
   * enterprise certificates with the legal representative's number, the enterprise.
   */
  readonly whenBoth?: 'person' | 'enterprise'
}

export const DEFAULT_IDENTITY_RULES: readonly IdentityRule[] = [
  { from: 'extension', field: OID.cnIdentifyCode, kind: 'person' },
  { from: 'extension', field: OID.cnOrganizationCode, kind: 'auto' },
  { from: 'subject', field: 'serialNumber', kind: 'auto' },
  { from: 'subject', field: 'organizationIdentifier', kind: 'auto' },
  { from: 'subject', field: 'UID', kind: 'auto' },
  { from: 'subject', field: 'OU', kind: 'auto' },
  { from: 'subject', field: 'CN', kind: 'auto' },
  { from: 'subject', field: 'title', kind: 'auto' },
  { from: 'subject', field: 'description', kind: 'auto' },
]

export const DEFAULT_IDENTITY_MAPPING: IdentityMapping = {
  rules: DEFAULT_IDENTITY_RULES,
  personName: ['CN', 'GN'],
  enterpriseName: ['O', 'CN'],
  organizationName: ['O', 'OU'],
  whenBoth: 'person',
}

/** The organisation a person's certificate also names (the employer of a staff member). */
export interface HolderOrganization {
  /** Empty when the certificate names the code but no organisation name. */
  readonly name: string
  readonly uscc: string
  readonly checkOk: boolean
  readonly source: string
}

export interface HolderIdentity {
  readonly kind: 'person' | 'enterprise'
  readonly name: string
  /** A person's citizen ID number (full; mask it before it leaves the core or reaches a log). */
  readonly idNumber?: string
  /** An enterprise's unified social credit code. */
  readonly uscc?: string
  /** False when the number fails its check digit: warn, don't block (some real codes do). */
  readonly checkOk: boolean
  /** Which rule found it, e.g. `subject:serialNumber`. */
  readonly source: string
  /** A person's certificate that also carries an organisation's USCC: that organisation. */
  readonly organization?: HolderOrganization
}

const MAX_WALK = 64

/** Every string inside an extension value (IdentifyCode is a CHOICE of tagged strings). */
function extensionStrings(value: Uint8Array): string[] {
  const out: string[] = []
  let budget = MAX_WALK
  const walk = (tlv: Tlv, depth: number) => {
    if (--budget < 0 || depth > 4) return
    const s = decodeString(tlv)
    if (s !== undefined) return void out.push(s)
    if (tlv.constructed) {
      for (const c of children(tlv, MAX_WALK)) walk(c, depth + 1)
    } else if (tlv.cls === TagClass.Context) {
      out.push(decodeLoose(tlv.value)) // an IMPLICIT-tagged string
    }
  }
  try {
    walk(readOne(value), 0)
  } catch {
    out.length = 0
  }
  // Not DER at all: some CAs store the bare characters.
  if (out.length === 0 && value.length > 0 && value.length <= 128) out.push(decodeLoose(value))
  return out
}

/** otherName values of the subjectAltName with the given type id. */
function sanOtherNames(cert: Certificate, typeOid: string): string[] {
  const ext = extension(cert, OID.subjectAltName)
  if (!ext) return []
  const out: string[] = []
  try {
    for (const gn of children(readOne(ext.value), 64)) {
      if (gn.cls !== TagClass.Context || gn.tagNumber !== 0 || !gn.constructed) continue
      const [id, value] = children(gn, 2)
      if (!id || !value || id.tag !== 0x06) continue
      if (decodeOid(id) !== typeOid) continue
      out.push(...extensionStrings(value.constructed ? value.value : value.raw))
    }
  } catch {
    return out
  }
  return out
}

function valuesFor(cert: Certificate, rule: IdentityRule): string[] {
  switch (rule.from) {
    case 'subject':
      return nameValues(cert.subject, rule.field)
    case 'extension': {
      const ext = extension(cert, rule.field)
      return ext ? extensionStrings(ext.value) : []
    }
    case 'san':
      return sanOtherNames(cert, rule.field)
  }
}

/** 18-character tokens in a value, allowing a short prefix or suffix glued to the number. */
function candidates(value: string, pattern: RegExp | undefined): string[] {
  const upper = value.toUpperCase()
  if (pattern) {
    const m = pattern.exec(value)
    if (!m) return []
    return [(m.groups?.id ?? m[0]).trim().toUpperCase()]
  }
  const out: string[] = []
  for (const run of upper.match(/[0-9A-Z]{18,26}/g) ?? []) {
    out.push(run.slice(-18))
    if (run.length > 18) out.push(run.slice(0, 18))
  }
  return out
}

type Found = { kind: 'person' | 'enterprise'; number: string; checkOk: boolean }

function classify(token: string, kind: IdentityRule['kind']): Found | undefined {
  const person = checkCitizenId(token)
  if (person.valid && kind !== 'enterprise') return { kind: 'person', number: token, checkOk: true }
  const uscc = checkUscc(token)
  if (uscc.valid && kind !== 'person') return { kind: 'enterprise', number: token, checkOk: true }
  // A declared field may hold a number that fails its check digit (some real ones do).
  if (kind === 'person' && person.reason === 'check-character')
    return { kind: 'person', number: token, checkOk: false }
  if (kind === 'enterprise' && uscc.reason === 'check-character')
    return { kind: 'enterprise', number: token, checkOk: false }
  return undefined
}

const HAN = /\p{Script=Han}/u

/** A name attribute with the number and its packaging (`@`, brackets, prefixes) taken out. */
function cleanName(raw: string, number: string): string {
  let s = cleanText(raw)
  if (s.includes('@')) {
    const parts = s
      .split('@')
      .map((p) => p.trim())
      .filter((p) => p && !p.toUpperCase().includes(number) && !/^[0-9A-Z]{0,4}$/i.test(p))
    s = parts.find((p) => HAN.test(p)) ?? parts.sort((a, b) => b.length - a.length)[0] ?? ''
  }
  s = s.replace(new RegExp(`[(（[]?\\s*[A-Z]{0,6}[-:：]?${number}\\s*[)）\\]]?`, 'i'), '')
  return s.replace(/^[\s,，:：\-_]+|[\s,，:：\-_]+$/g, '').trim()
}

function holderName(cert: Certificate, attributes: readonly string[], number: string): string {
  for (const attr of attributes) {
    for (const v of nameValues(cert.subject, attr)) {
      const name = cleanName(v, number)
      if (name && !/^[0-9A-Z]+$/i.test(name)) return name
    }
  }
  return ''
}

function compile(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined
  try {
    return new RegExp(pattern, 'u')
  } catch {
    return undefined
  }
}

type Hit = Found & { source: string }

/** The first number of each kind the rules find, a valid one before one failing its check. */
function collect(
  cert: Certificate,
  mapping: IdentityMapping,
): Record<Found['kind'], Hit | undefined> {
  const best: Record<Found['kind'], Hit | undefined> = { person: undefined, enterprise: undefined }
  for (const rule of mapping.rules) {
    const pattern = compile(rule.pattern)
    for (const value of valuesFor(cert, rule)) {
      for (const token of candidates(value, pattern)) {
        const found = classify(token, rule.kind)
        if (!found) continue
        const held = best[found.kind]
        if (!held || (!held.checkOk && found.checkOk))
          best[found.kind] = { ...found, source: `${rule.from}:${rule.field}` }
      }
    }
  }
  return best
}

/** The holder a certificate names, by the mapping's rules; CERT_NO_IDENTITY when none applies. */
export function extractIdentity(
  cert: Certificate,
  mapping: IdentityMapping = DEFAULT_IDENTITY_MAPPING,
): HolderIdentity {
  const { person, enterprise } = collect(cert, mapping)
  if (person && enterprise) {
    if ((mapping.whenBoth ?? 'person') === 'enterprise') return finish(cert, mapping, enterprise)
    return {
      ...finish(cert, mapping, person),
      organization: organization(cert, mapping, enterprise),
    }
  }
  const only = person ?? enterprise
  if (only) return finish(cert, mapping, only)
  throw new CounterError('CERT_NO_IDENTITY', { detail: `serial ${cert.serialNumber}` })
}

function organization(cert: Certificate, mapping: IdentityMapping, hit: Hit): HolderOrganization {
  const attributes = mapping.organizationName ?? DEFAULT_IDENTITY_MAPPING.organizationName ?? []
  return {
    name: holderName(cert, attributes, hit.number),
    uscc: hit.number,
    checkOk: hit.checkOk,
    source: hit.source,
  }
}

function finish(cert: Certificate, mapping: IdentityMapping, found: Hit): HolderIdentity {
  const person = found.kind === 'person'
  const name = holderName(cert, person ? mapping.personName : mapping.enterpriseName, found.number)
  if (!name) throw new CounterError('CERT_NO_IDENTITY', { detail: 'no holder name' })
  return {
    kind: found.kind,
    name,
    ...(person ? { idNumber: found.number } : { uscc: found.number }),
    checkOk: found.checkOk,
    source: found.source,
  }
}
