/** What every HTTP client of the core shares. */
export { readBounded } from './read-bounded'
