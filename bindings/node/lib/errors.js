'use strict';
// Error classes. Every error redlite raises is a RedliteError; errors the
// command itself returns (Redis' error replies) are ReplyErrors whose code is
// the first word of the message, as Redis sends it (ERR, WRONGTYPE,
// EXECABORT, NOSCRIPT, ...).

class RedliteError extends Error {
  get name() {
    return this.constructor.name;
  }
}

class ReplyError extends RedliteError {
  constructor(message) {
    super(message);
    const sp = message.indexOf(' ');
    this.code = sp > 0 ? message.slice(0, sp) : message;
  }
}

// Any call on a closed database or connection.
class ClosedError extends RedliteError {
  constructor(message = 'redlite: the database is closed') {
    super(message);
    this.code = 'CLOSED';
  }
}

module.exports = { RedliteError, ReplyError, ClosedError };
