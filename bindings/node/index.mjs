// The ESM entry point: the same module as index.js.
import redlite from './index.js';

export const {
  open,
  openSync,
  Redlite,
  Connection,
  Transaction,
  Pipeline,
  RedliteError,
  ReplyError,
  ClosedError,
  commands,
  version,
} = redlite;
export default redlite;
