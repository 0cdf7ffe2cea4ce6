/** What every HTTP client of the core shares. */
export { readBounded } from './read-bounded'
export { requestJson, type HttpFailure, type JsonReply, type JsonRequest } from './request-json'
