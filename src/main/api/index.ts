export { createDispatcher, type Dispatch } from './dispatch'
