'use strict';
// redlite for Node: an embedded Redis-compatible store on SQLite with the
// ioredis API. See README.md. The native side (src/) runs every call on
// threads of its own; this file shapes arguments and replies like ioredis.

const { EventEmitter } = require('node:events');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');

const binding = require(path.join(__dirname, 'build', 'Release', 'redlite.node'));
const { RedliteError, ReplyError, ClosedError } = require('./lib/errors');
const commandTable = require('./lib/commands.json');

binding.setup(ReplyError, ClosedError, RedliteError);

// ---------------------------------------------------------------------------
// Signals (the why is in src/signals.c). The addon fixed the handlers that
// existed when it loaded; these hooks fix the ones Node installs later.
// ---------------------------------------------------------------------------

const SIGNAL_NAMES = new Set(Object.keys(os.constants.signals));
// Node starts a signal's libuv watcher (installing the handler) from its own
// 'newListener' hook, registered at bootstrap, so it runs before this one.
process.on('newListener', (event) => {
  if (typeof event === 'string' && SIGNAL_NAMES.has(event)) binding.fixSignals();
});
// Removing the last listener of a signal uninstalls the handler; removing
// one of several can make libuv install it again (one-shot flags).
process.on('removeListener', (event) => {
  if (typeof event !== 'string' || !SIGNAL_NAMES.has(event)) return;
  if (event === 'SIGCHLD' && !process.listeners('SIGCHLD').includes(keepSigchld)) {
    process.on('SIGCHLD', keepSigchld);
  }
  binding.fixSignals();
});
// One SIGCHLD listener for as long as redlite is loaded: libuv installs its
// SIGCHLD handler for the first watcher only, so with this one in place the
// handler child_process needs is installed (and fixed) once, now, instead of
// at each spawn, where nothing could fix it before a child's exit arrives
// (spawnSync runs a private loop without returning to JS). Node's signal
// watchers do not keep the event loop alive.
function keepSigchld() {}
process.on('SIGCHLD', keepSigchld);

// ---------------------------------------------------------------------------
// The command table
// ---------------------------------------------------------------------------

const F_BUFFER = 1;
const F_BLOCKING = 2;
// With F_BUFFER, for the synchronous calls: short strings of the reply (at
// the top or in arrays) come back as latin1 strings, one character per byte,
// and become Buffers here (bufferResult): Buffer.from takes them from Node's
// pool, several times cheaper than a new ArrayBuffer per value in the addon
// (src/rn.h). Such a reply holds no other strings.
const F_LATIN1 = 8;

function bufferResult(r) {
  if (typeof r === 'string') return Buffer.from(r, 'latin1');
  if (Array.isArray(r)) {
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      if (typeof v === 'string' || Array.isArray(v)) r[i] = bufferResult(v);
    }
  }
  return r;
}

const COMMANDS = new Map(commandTable.map((c) => [c.name, c]));

// Commands that change connection state cannot run on the shared db handle
// (its calls share pooled sessions). The db object routes them: MULTI/EXEC/
// WATCH state lives on one connection of the db (like the one connection of
// an ioredis client), pub/sub on a subscriber connection; the rest need a
// connection of your own (db.connection()).
const SUBSCRIBE = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
const STATE = new Set(['watch', 'unwatch', 'exec', 'discard']);
const CONN_ONLY = new Set(['select', 'hello', 'auth', 'reset', 'monitor']);
const CONN_ONLY_CLIENT = new Set(['setname', 'setinfo', 'reply', 'no-evict', 'no-touch', 'tracking', 'caching']);
// Names the objects use for themselves: `sync` is the synchronous mirror
// (the Redis command SYNC, replication, has no method; db.call('sync')).
const RESERVED = new Set(['sync']);

function isBlocking(name) {
  const c = COMMANDS.get(name);
  return c !== undefined && c.flags.includes('blocking');
}

function isWrite(name) {
  const c = COMMANDS.get(name);
  return c === undefined || c.flags.includes('write');
}

// ---------------------------------------------------------------------------
// Arguments and replies, as ioredis shapes them
// ---------------------------------------------------------------------------

function objectToArgs(obj) {
  const out = [];
  if (obj instanceof Map) {
    for (const [k, v] of obj) out.push(k, v);
  } else {
    for (const k of Object.keys(obj)) out.push(k, obj[k]);
  }
  return out;
}

function isPlainArg(v) {
  return typeof v !== 'object' || v === null || Buffer.isBuffer(v) || ArrayBuffer.isView(v);
}

// hset('h', {a: 1}) / hmset: key then an object or Map of fields.
function hsetArgs(args) {
  if (args.length === 2 && !isPlainArg(args[1]) && !Array.isArray(args[1])) {
    return [args[0], ...objectToArgs(args[1])];
  }
  return args;
}

// mset({a: 1, b: 2}) / msetnx.
function msetArgs(args) {
  if (args.length === 1 && !isPlainArg(args[0]) && !Array.isArray(args[0])) return objectToArgs(args[0]);
  return args;
}

const ARG_TRANSFORMS = { hset: hsetArgs, hmset: hsetArgs, mset: msetArgs, msetnx: msetArgs };

// Arrays among the arguments are spread one level (ioredis: args.flat()).
function flatten(args) {
  for (let i = 0; i < args.length; i++) {
    if (Array.isArray(args[i])) return args.flat();
  }
  return args;
}

function hgetallReply(arr) {
  if (!Array.isArray(arr)) return arr;
  const obj = {};
  for (let i = 0; i < arr.length; i += 2) {
    // defineProperty keeps fields named like Object.prototype's members
    // ("__proto__") as plain data.
    Object.defineProperty(obj, String(arr[i]), { value: arr[i + 1], configurable: true, enumerable: true, writable: true });
  }
  return obj;
}

const REPLY_TRANSFORMS = { hgetall: hgetallReply };

// Buffer results of string-mode commands (a MULTI mixing both modes).
function buffersToStrings(v) {
  if (Buffer.isBuffer(v)) return v.toString();
  if (Array.isArray(v)) return v.map(buffersToStrings);
  return v;
}

function prepare(name, args) {
  args = flatten(args);
  const t = ARG_TRANSFORMS[name];
  return t === undefined ? args : t(args);
}

// An ioredis-style callback as the last argument.
function popCallback(args) {
  const n = args.length;
  if (n > 0 && typeof args[n - 1] === 'function') return args.pop();
  return null;
}

function nodeify(promise, cb) {
  promise.then((v) => cb(null, v), (e) => cb(e));
  return promise;
}

function refusedOnDb(name, args) {
  if (CONN_ONLY.has(name)) return name.toUpperCase();
  if (name === 'client' && args.length > 0 && CONN_ONLY_CLIENT.has(String(args[0]).toLowerCase())) {
    return 'CLIENT ' + String(args[0]).toUpperCase();
  }
  return null;
}

function refusedError(what) {
  return new ReplyError(`ERR '${what}' changes connection state: run it on a connection of your own (db.connection()), or open the database with the option you need`);
}

// ---------------------------------------------------------------------------
// Command methods, shared by every object that runs commands
// ---------------------------------------------------------------------------

// Each class implements _run(name, flags, args) -> Promise and gets one
// method per command (and its *Buffer twin), ioredis-style.
function addCommandMethods(proto, skip) {
  for (const { name } of commandTable) {
    if (RESERVED.has(name) || skip.has(name)) continue;
    const transform = REPLY_TRANSFORMS[name];
    const flags = isBlocking(name) ? F_BLOCKING : 0;
    if (!Object.prototype.hasOwnProperty.call(proto, name)) {
      proto[name] = function (...args) {
        return this._dispatch(name, flags, args, transform);
      };
    }
    if (!Object.prototype.hasOwnProperty.call(proto, name + 'Buffer')) {
      proto[name + 'Buffer'] = function (...args) {
        return this._dispatch(name, flags | F_BUFFER, args, transform);
      };
    }
  }
  proto.call = function (name, ...args) {
    const n = String(name).toLowerCase();
    return this._dispatch(n, isBlocking(n) ? F_BLOCKING : 0, args, REPLY_TRANSFORMS[n]);
  };
  proto.callBuffer = function (name, ...args) {
    const n = String(name).toLowerCase();
    return this._dispatch(n, (isBlocking(n) ? F_BLOCKING : 0) | F_BUFFER, args, REPLY_TRANSFORMS[n]);
  };
}

// The common dispatcher: callback, argument shapes, closed handles, reply
// transforms. Synchronous throws become rejections.
function dispatch(name, flags, args, transform) {
  const cb = popCallback(args);
  let p;
  if (this._closing) {
    p = Promise.reject(new ClosedError());
  } else {
    try {
      p = this._run(name, flags, prepare(name, args));
    } catch (e) {
      p = Promise.reject(e);
    }
  }
  if (transform !== undefined) p = p.then(transform);
  return cb === null ? p : nodeify(p, cb);
}

// ---------------------------------------------------------------------------
// Scan streams (ioredis' scanStream, sscanStream, hscanStream, zscanStream)
// ---------------------------------------------------------------------------

function scanStream(owner, command, key, options = {}) {
  let cursor = '0';
  let done = false;
  const extra = [];
  if (options.match != null) extra.push('MATCH', options.match);
  if (options.type != null) extra.push('TYPE', options.type);
  if (options.count != null) extra.push('COUNT', options.count);
  return new Readable({
    objectMode: true,
    read() {
      if (done) {
        this.push(null);
        return;
      }
      const args = key === null ? [cursor, ...extra] : [key, cursor, ...extra];
      owner.call(command, ...args).then(([next, items]) => {
        cursor = next;
        if (cursor === '0') done = true;
        this.push(items);
      }, (err) => this.destroy(err));
    },
  });
}

// The methods of every command runner (Redlite, Connection) besides the
// commands: pipelines, scan streams, ioredis' quit and disconnect.
function addRunnerMethods(proto) {
  proto.multi = function (commands) { return new Pipeline(this, true, commands); };
  proto.pipeline = function (commands) { return new Pipeline(this, false, commands); };
  proto.scanStream = function (options) { return scanStream(this, 'scan', null, options); };
  proto.sscanStream = function (key, options) { return scanStream(this, 'sscan', key, options); };
  proto.hscanStream = function (key, options) { return scanStream(this, 'hscan', key, options); };
  proto.zscanStream = function (key, options) { return scanStream(this, 'zscan', key, options); };
  proto.quit = function (cb) {
    const p = this.close().then(() => 'OK');
    return cb ? nodeify(p, cb) : p;
  };
  proto.disconnect = function () {
    this.close().catch(() => {});
  };
}

function emitClosed(emitter) {
  emitter.emit('close');
  emitter.emit('end');
}

// ---------------------------------------------------------------------------
// Pub/sub
// ---------------------------------------------------------------------------

const UNSUB_OF = { unsubscribe: 'channels', punsubscribe: 'patterns', sunsubscribe: 'shards' };
const SUB_OF = { subscribe: 'channels', psubscribe: 'patterns', ssubscribe: 'shards' };
const BUFFER_EVENTS = new Set(['messageBuffer', 'pmessageBuffer', 'smessageBuffer']);

// Subscriptions of one conn. Its reader thread delivers messages and the
// confirmations of every channel after the first of a (un)subscribe command
// (the first is the command's reply); a command's promise resolves when all
// its confirmations arrived, with the subscription count, as in ioredis.
class Subscriber {
  constructor(db, conn, emitter) {
    this.db = db; // the Redlite that owns the native db (keep-alive)
    this.conn = conn;
    this.emitter = emitter;
    this.channels = new Set();
    this.patterns = new Set();
    this.shards = new Set();
    this.pending = [];
    this.started = false;
    // Buffers when someone listens for the *Buffer events (now or later).
    this.buffers = [...BUFFER_EVENTS].some((ev) => emitter.listenerCount(ev) > 0);
    this.kept = false;
    emitter.on('newListener', (event) => {
      if (BUFFER_EVENTS.has(event) && !this.buffers) {
        this.buffers = true;
        if (this.started) binding.connOnMessage(this.conn, this.onMessage, true);
      }
    });
    this.onMessage = (m) => this.message(m);
  }

  count() {
    return this.channels.size + this.patterns.size + this.shards.size;
  }

  keepAlive() {
    const want = this.count() > 0 && !this.db._closing;
    if (want !== this.kept) {
      this.kept = want;
      binding.keepAlive(this.db._h, want ? 1 : -1);
    }
  }

  run(name, flags, args) {
    if (!this.started) {
      binding.connOnMessage(this.conn, this.onMessage, this.buffers);
      this.started = true;
    }
    const sub = SUB_OF[name];
    // UNSUBSCRIBE without arguments confirms each subscription (or once
    // with no channel when there is none).
    const expect = args.length > 0 ? args.length : Math.max(1, this[sub !== undefined ? sub : UNSUB_OF[name]].size);
    const reply = binding.connCommand(this.conn, flags & F_BUFFER, name, ...args);
    return new Promise((resolve, reject) => {
      const op = { kind: name, remaining: expect, count: sub !== undefined ? 0 : Infinity, resolve, reject };
      this.pending.push(op);
      reply.then((r) => {
        if (Array.isArray(r)) {
          this.confirm(r);
          return;
        }
        // Not a confirmation: QUEUED inside MULTI.
        this.pending.splice(this.pending.indexOf(op), 1);
        resolve(r);
      }, (err) => {
        const i = this.pending.indexOf(op);
        if (i >= 0) this.pending.splice(i, 1);
        reject(err);
      });
    });
  }

  // The first confirmation is the command's reply, the others come from the
  // reader thread: they may arrive in either order, so the count after the
  // whole command is the highest one seen (subscribing) or the lowest
  // (unsubscribing).
  // The sets follow the confirmations, so they hold what the library
  // confirmed (a SUBSCRIBE queued in MULTI adds nothing).
  confirm(reply) {
    const kind = String(reply[0]);
    if (reply[1] !== null) {
      if (SUB_OF[kind] !== undefined) this[SUB_OF[kind]].add(String(reply[1]));
      else if (UNSUB_OF[kind] !== undefined) this[UNSUB_OF[kind]].delete(String(reply[1]));
    }
    this.keepAlive();
    const op = this.pending.find((p) => p.kind === kind);
    if (op === undefined) return;
    const count = Number(reply[2]);
    op.count = SUB_OF[kind] !== undefined ? Math.max(op.count, count) : Math.min(op.count, count);
    if (--op.remaining === 0) {
      this.pending.splice(this.pending.indexOf(op), 1);
      op.resolve(op.count);
    }
  }

  message(m) {
    const e = this.emitter;
    if (m === null) {
      // The reader found the conn without subscriptions. Unless this side
      // is between commands, the library dropped it for letting messages
      // pile up past client-output-buffer-limit.
      if (this.pending.length === 0 && this.count() > 0) {
        this.channels.clear();
        this.patterns.clear();
        this.shards.clear();
        this.keepAlive();
        const err = new RedliteError('redlite: the subscriber was dropped: messages piled up past client-output-buffer-limit pubsub');
        // Like ioredis: an 'error' nobody listens for is reported, not thrown.
        if (e.listenerCount('error') > 0) e.emit('error', err);
        else process.emitWarning(err.message, 'RedliteWarning');
      }
      return;
    }
    const kind = String(m[0]);
    const str = this.buffers ? (b) => b.toString() : (s) => s;
    switch (kind) {
      case 'message':
      case 'smessage':
        if (this.buffers) e.emit(kind + 'Buffer', m[1], m[2]);
        e.emit(kind, str(m[1]), str(m[2]));
        return;
      case 'pmessage':
        if (this.buffers) e.emit('pmessageBuffer', m[1], m[2], m[3]);
        e.emit('pmessage', str(m[1]), str(m[2]), str(m[3]));
        return;
      default:
        this.confirm(m);
    }
  }

  close() {
    this.channels.clear();
    this.patterns.clear();
    this.shards.clear();
    this.keepAlive();
  }
}

// ---------------------------------------------------------------------------
// Pipelines and MULTI
// ---------------------------------------------------------------------------

class Pipeline {
  constructor(owner, atomic, commands) {
    this._owner = owner;
    this._atomic = atomic;
    this._queue = [];
    if (Array.isArray(commands)) {
      for (const [name, ...args] of commands) this.call(name, ...args);
    }
  }

  get length() {
    return this._queue.length;
  }

  _dispatch(name, flags, args, transform) {
    popCallback(args);
    this._queue.push({ name, flags, args: prepare(name, args), transform });
    return this;
  }

  exec(cb) {
    const p = this._atomic ? this._execMulti() : this._execPipeline();
    return cb ? nodeify(p, cb) : p;
  }

  // Not atomic: each command runs on its own, in order (one queue).
  async _execPipeline() {
    const owner = this._owner;
    const results = await Promise.allSettled(
      this._queue.map((c) => owner._dispatch(c.name, c.flags, c.args, c.transform)));
    return results.map((r) => (r.status === 'fulfilled' ? [null, r.value] : [r.reason]));
  }

  // MULTI ... EXEC on a connection: the db's state connection (where WATCH
  // ran) or the Connection/Transaction itself. The commands are queued
  // together, so nothing else on that connection runs in between.
  async _execMulti() {
    const owner = this._owner;
    if (owner._closing) throw new ClosedError();
    const conn = owner._stateConn();
    const anyBuffer = this._queue.some((c) => c.flags & F_BUFFER);
    const queued = [binding.connCommand(conn, 0, 'multi')];
    for (const c of this._queue) queued.push(binding.connCommand(conn, c.flags & F_BUFFER, c.name, ...c.args));
    const exec = binding.connCommand(conn, anyBuffer ? F_BUFFER : 0, 'exec');
    const settled = await Promise.allSettled(queued);
    let result;
    try {
      result = await exec;
    } catch (err) {
      if (err instanceof ReplyError && err.code === 'EXECABORT') {
        err.previousErrors = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
      }
      throw err;
    }
    if (result === null) return null; // a watched key changed
    return result.map((v, i) => {
      if (v instanceof Error) return [v];
      const c = this._queue[i];
      if (anyBuffer && !(c.flags & F_BUFFER)) v = buffersToStrings(v);
      try {
        return [null, c.transform === undefined ? v : c.transform(v)];
      } catch (e) {
        return [e];
      }
    });
  }
}

addCommandMethods(Pipeline.prototype, new Set(['multi', ...STATE]));
// Inside a pipeline, multi/exec are the pipeline's own.
Pipeline.prototype.multi = function () { return this; };

// ---------------------------------------------------------------------------
// The synchronous mirror: db.sync.get('k') returns the value
// ---------------------------------------------------------------------------

class SyncCommands {
  constructor(owner) {
    this._owner = owner;
  }

  _dispatch(name, flags, args, transform) {
    const owner = this._owner;
    if (owner._closing) throw new ClosedError();
    args = prepare(name, args);
    if (flags & F_BLOCKING) {
      throw new RedliteError(`redlite: ${name.toUpperCase()} can wait and would block the event loop: use the asynchronous method (await db.${name}(...))`);
    }
    const r = (flags & F_BUFFER) === 0 ? owner._runSync(name, flags, args) : bufferResult(owner._runSync(name, flags | F_LATIN1, args));
    return transform === undefined ? r : transform(r);
  }

  get(key) {
    if (arguments.length === 1) {
      const o = this._owner;
      if (o._closing) throw new ClosedError();
      return o._getSync(key, 0);
    }
    return this._dispatch('get', 0, [...arguments]);
  }

  // The typed path for the usual key; other shapes (arrays are spread, as
  // by every command) take the generic one.
  getBuffer(key) {
    if (arguments.length === 1 && (typeof key === 'string' || Buffer.isBuffer(key))) {
      const o = this._owner;
      if (o._closing) throw new ClosedError();
      return bufferResult(o._getSync(key, F_BUFFER | F_LATIN1));
    }
    return this._dispatch('get', F_BUFFER, [...arguments]);
  }

  set(key, value) {
    if (arguments.length === 2) {
      const o = this._owner;
      if (o._closing) throw new ClosedError();
      return o._setSync(key, value, 0);
    }
    return this._dispatch('set', 0, [...arguments]);
  }
}

addCommandMethods(SyncCommands.prototype, new Set(['multi', ...SUBSCRIBE, 'quit']));
for (const name of STATE) delete SyncCommands.prototype[name];

// ---------------------------------------------------------------------------
// Redlite: an open database
// ---------------------------------------------------------------------------

const DURABILITY = { normal: 0, full: 1 };

function nativeOptions(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('redlite: options must be an object');
  const int = (k, min, max) => {
    const v = options[k];
    if (v === undefined) return 0;
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`redlite: options.${k} must be an integer from ${min} to ${max}`);
    return v;
  };
  let durability = 0;
  if (options.durability !== undefined) {
    durability = DURABILITY[options.durability];
    if (durability === undefined) throw new RangeError("redlite: options.durability must be 'normal' or 'full'");
  }
  return [durability, int('cacheMb', 0, 1 << 20), int('readers', 0, 1024), int('busyTimeoutMs', 0, 2 ** 31 - 1), int('database', 0, 15)];
}

function checkPath(path) {
  if (typeof path !== 'string' || path === '') throw new TypeError("redlite: the path must be a non-empty string (a file name or ':memory:')");
}

class Redlite extends EventEmitter {
  // new Redlite(path, options) opens synchronously, like redlite.openSync.
  constructor(path = ':memory:', options = {}, handle = undefined) {
    super();
    if (handle === undefined) {
      checkPath(path);
      handle = binding.openSync(path, ...nativeOptions(options));
    }
    this._h = handle;
    this.path = path;
    this.options = { ...options };
    this._closing = false;
    this._closed = null;
    this._state = null;
    this._sub = null;
    this._txOpen = 0;
    this.status = 'ready';
    this.sync = new SyncCommands(this);
    // ioredis emits these once connected; code waiting for them works.
    process.nextTick(() => {
      if (this._closing) return;
      this.emit('connect');
      this.emit('ready');
    });
  }

  _dispatch(name, flags, args, transform) {
    return dispatch.call(this, name, flags, args, transform);
  }

  _run(name, flags, args) {
    if (SUBSCRIBE.has(name)) return this._subscriber().run(name, flags, args);
    if (STATE.has(name)) return binding.connCommand(this._stateConn(), flags & F_BUFFER, name, ...args);
    if (name === 'quit') return this.quit();
    const refused = refusedOnDb(name, args);
    if (refused !== null) return Promise.reject(refusedError(refused));
    return binding.command(this._h, flags, name, ...args);
  }

  _runSync(name, flags, args) {
    const refused = refusedOnDb(name, args);
    if (refused !== null) throw refusedError(refused);
    if (this._txOpen > 0 && isWrite(name)) {
      throw new RedliteError(`redlite: a synchronous ${name.toUpperCase()} would wait for the open transaction, which needs this thread to finish: use the transaction's methods or the asynchronous method`);
    }
    return binding.commandSync(this._h, flags, name, ...args);
  }

  _getSync(key, flags) {
    return binding.getSync(this._h, flags, key);
  }

  _setSync(key, value, flags) {
    if (this._txOpen > 0) return this._runSync('set', flags, [key, value]);
    return binding.setSync(this._h, flags, key, value);
  }

  // The connection holding WATCH and MULTI state, like the one connection
  // of an ioredis client.
  _stateConn() {
    if (this._state === null) this._state = binding.connOpen(this._h);
    return this._state;
  }

  _subscriber() {
    if (this._sub === null) this._sub = new Subscriber(this, binding.connOpen(this._h), this);
    return this._sub;
  }

  // GET and plain SET have typed fast paths (binding.get, binding.set).
  _typed(fn, flags, key, value) {
    if (this._closing) return Promise.reject(new ClosedError());
    try {
      return fn(this._h, flags, key, value);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  get(key, cb) {
    if (arguments.length !== 1) return this._dispatch('get', 0, [...arguments]);
    return this._typed(binding.get, 0, key);
  }

  getBuffer(key) {
    if (arguments.length !== 1) return this._dispatch('get', F_BUFFER, [...arguments]);
    return this._typed(binding.get, F_BUFFER, key);
  }

  set(key, value) {
    if (arguments.length !== 2 || typeof value === 'function') return this._dispatch('set', 0, [...arguments]);
    return this._typed(binding.set, 0, key, value);
  }

  // A connection of its own: SELECT, CLIENT SETNAME, MULTI state, its own
  // subscriptions (ioredis' duplicate()).
  connection() {
    if (this._closing) throw new ClosedError();
    return new Connection(this, binding.connOpen(this._h));
  }

  duplicate() {
    return this.connection();
  }

  // Run fn(tx) inside one SQLite transaction on a connection of its own:
  // committed when fn's promise resolves, rolled back when it rejects.
  // While it is open, writes through other handles wait for it: inside fn,
  // use tx, not db.
  async transaction(fn) {
    if (this._closing) throw new ClosedError();
    if (typeof fn !== 'function') throw new TypeError('redlite: transaction(fn) needs a function');
    const conn = binding.connOpen(this._h);
    const tx = new Transaction(this, conn);
    this._txOpen++;
    try {
      await binding.connOp(conn, 1);
      let result;
      try {
        result = await fn(tx);
      } catch (err) {
        await binding.connOp(conn, 3).catch(() => {});
        throw err;
      }
      await binding.connOp(conn, 2);
      return result;
    } finally {
      this._txOpen--;
      tx._closing = true;
      binding.connOp(conn, 4).catch(() => {});
    }
  }

  // Close the database: calls still running finish (blocking ones end at
  // once), calls not started and later ones fail with ClosedError.
  close() {
    if (this._closed !== null) return this._closed;
    this._endCalls();
    this._closed = binding.close(this._h).then(() => emitClosed(this));
    return this._closed;
  }

  closeSync() {
    if (this._closing) return;
    this._endCalls();
    binding.closeSync(this._h);
    this._closed = Promise.resolve();
    process.nextTick(emitClosed, this);
  }

  // The start of close and closeSync: new calls fail, the subscriber ends.
  _endCalls() {
    this._closing = true;
    this.status = 'end';
    if (this._sub !== null) this._sub.close();
  }

  // ioredis names. An open db is connected; connect() is for code written
  // with ioredis' lazyConnect.
  connect() {
    return this._closing ? Promise.reject(new ClosedError()) : Promise.resolve();
  }

}

addRunnerMethods(Redlite.prototype);
addCommandMethods(Redlite.prototype, new Set());

// ---------------------------------------------------------------------------
// Connection: a redlite_conn with its own state and thread
// ---------------------------------------------------------------------------

class Connection extends EventEmitter {
  constructor(db, conn) {
    super();
    this.db = db;
    this._c = conn;
    this._closing = false;
    this._sub = null;
    this.sync = new SyncCommands(this);
  }

  _dispatch(name, flags, args, transform) {
    if (this.db._closing) this._closing = true;
    return dispatch.call(this, name, flags, args, transform);
  }

  _run(name, flags, args) {
    if (SUBSCRIBE.has(name)) return this._subscriber().run(name, flags, args);
    if (name === 'quit') return this.quit();
    // A conn runs its commands in order on its own thread, blocking ones
    // included (as a Redis connection waits in BLPOP).
    return binding.connCommand(this._c, flags & F_BUFFER, name, ...args);
  }

  _runSync(name, flags, args) {
    return binding.connCommandSync(this._c, flags, name, ...args);
  }

  _getSync(key, flags) {
    return this._runSync('get', flags, [key]);
  }

  _setSync(key, value, flags) {
    return this._runSync('set', flags, [key, value]);
  }

  _stateConn() {
    return this._c;
  }

  _subscriber() {
    if (this._sub === null) this._sub = new Subscriber(this.db, this._c, this);
    return this._sub;
  }

  close() {
    if (this._closing) return Promise.resolve();
    this._closing = true;
    if (this._sub !== null) this._sub.close();
    return binding.connOp(this._c, 4).then(() => emitClosed(this));
  }

  connect() {
    return this._closing || this.db._closing ? Promise.reject(new ClosedError()) : Promise.resolve();
  }

}

addRunnerMethods(Connection.prototype);
addCommandMethods(Connection.prototype, new Set());

// The tx of db.transaction(fn): its commands run inside the transaction.
class Transaction extends Connection {
  _dispatch(name, flags, args, transform) {
    if (this._closing) {
      const cb = popCallback(args);
      const p = Promise.reject(new RedliteError('redlite: the transaction is finished'));
      return cb === null ? p : nodeify(p, cb);
    }
    return super._dispatch(name, flags, args, transform);
  }

  close() {
    return Promise.reject(new RedliteError('redlite: a transaction ends when its function returns'));
  }
}

// ---------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------

// const db = await redlite.open('app.db', { durability: 'full' })
async function open(path = ':memory:', options = {}) {
  checkPath(path);
  const opts = nativeOptions(options);
  const handle = await binding.open(path, ...opts);
  return new Redlite(path, options, handle);
}

function openSync(path = ':memory:', options = {}) {
  return new Redlite(path, options);
}

const commands = commandTable.map((c) => c.name);
const version = binding.version();

// Shorthand names only: Node finds the named exports of index.mjs
// (export * from './index.js') by reading this literal.
module.exports = {
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
};
module.exports.default = module.exports;
