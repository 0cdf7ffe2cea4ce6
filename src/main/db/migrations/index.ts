/**
 * Every migration, in order. Versions are grouped by domain so that work on separate domains
 * never competes for a number: the foundation uses 1–99, passport chips (the CSCA store) 400s,
 * CA keys and sign-in 500s, licence retrieval and the access log 700s, issuance and sync 800s,
 * archive copies 900s.
 */
import type { Migration } from '../migration'
import { foundation } from './001-foundation'
import { csca } from './400-csca'
import { auth } from './500-auth'
import { audit } from './700-audit'
import { licenceAttachments } from './701-licence-attachments'
import { auditGuard } from './702-audit-guard'
import { issuance } from './800-issuance'
import { outboxDocuments } from './801-outbox-documents'
import { sync } from './810-sync'
import { issuanceBulk } from './820-issuance-bulk'
import { archive } from './900-archive'
import { archiveOwner } from './901-archive-owner'

export const migrations: readonly Migration[] = [
  foundation,
  csca,
  auth,
  audit,
  licenceAttachments,
  auditGuard,
  issuance,
  outboxDocuments,
  sync,
  issuanceBulk,
  archive,
  archiveOwner,
]
