/**
 * Imported before any schema is built. The page's Content-Security-Policy forbids eval, and zod
 * compiles object validators with `new Function` unless told not to when each schema is created;
 * without this, every method with an object argument fails in the page (preload or harness).
 */
import { z } from 'zod'

z.config({ jitless: true })
