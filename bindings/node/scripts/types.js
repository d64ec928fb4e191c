'use strict';
// Typed signatures for index.d.ts (scripts/gen-types.js). Commands of the
// table that are not listed here get a generic signature
// (...args: RedisArg[]) => Reply. Only commands present in the table are
// declared, so an entry for a command the library does not have yet is
// harmless.
//
// Placeholders, replaced for each flavour of method:
//   R<T>  the result: Promise<T> (async), T (db.sync), Pipeline (multi/pipeline)
//   $S    a bulk string: string, or Buffer in the *Buffer twin
//   $OK   a status reply ("OK"): 'OK', or Buffer in the *Buffer twin

const K = 'key: RedisKey';
const keys = '...keys: RedisKeys';
const num = 'number | string';

module.exports = {
  // strings
  append: [`(${K}, value: RedisValue): R<number>`],
  decr: [`(${K}): R<number>`],
  decrby: [`(${K}, decrement: ${num}): R<number>`],
  get: [`(${K}): R<$S | null>`],
  getdel: [`(${K}): R<$S | null>`],
  getex: [
    `(${K}): R<$S | null>`,
    `(${K}, mode: 'EX' | 'PX' | 'EXAT' | 'PXAT', time: ${num}): R<$S | null>`,
    `(${K}, mode: 'PERSIST'): R<$S | null>`,
  ],
  getrange: [`(${K}, start: ${num}, end: ${num}): R<$S>`],
  getset: [`(${K}, value: RedisValue): R<$S | null>`],
  incr: [`(${K}): R<number>`],
  incrby: [`(${K}, increment: ${num}): R<number>`],
  incrbyfloat: [`(${K}, increment: ${num}): R<$S>`],
  mget: [`(${keys}): R<($S | null)[]>`],
  mset: [
    '(values: Record<string, RedisValue> | Map<RedisKey, RedisValue>): R<$OK>',
    '(...keyValues: RedisValue[]): R<$OK>',
  ],
  msetnx: [
    '(values: Record<string, RedisValue> | Map<RedisKey, RedisValue>): R<number>',
    '(...keyValues: RedisValue[]): R<number>',
  ],
  psetex: [`(${K}, milliseconds: ${num}, value: RedisValue): R<$OK>`],
  set: [
    `(${K}, value: RedisValue): R<$OK>`,
    `(${K}, value: RedisValue, condition: 'NX' | 'XX'): R<$OK | null>`,
    `(${K}, value: RedisValue, mode: 'EX' | 'PX' | 'EXAT' | 'PXAT', time: ${num}): R<$OK>`,
    `(${K}, value: RedisValue, mode: 'EX' | 'PX' | 'EXAT' | 'PXAT', time: ${num}, condition: 'NX' | 'XX'): R<$OK | null>`,
    `(${K}, value: RedisValue, keepttl: 'KEEPTTL'): R<$OK>`,
    `(${K}, value: RedisValue, get: 'GET'): R<$S | null>`,
    `(${K}, value: RedisValue, ...options: (string | number)[]): R<$OK | $S | null>`,
  ],
  setex: [`(${K}, seconds: ${num}, value: RedisValue): R<$OK>`],
  setnx: [`(${K}, value: RedisValue): R<number>`],
  setrange: [`(${K}, offset: ${num}, value: RedisValue): R<number>`],
  strlen: [`(${K}): R<number>`],

  // keys and server
  copy: [`(source: RedisKey, destination: RedisKey, ...options: (string | number)[]): R<number>`],
  dbsize: ['(): R<number>'],
  del: [`(${keys}): R<number>`],
  echo: ['(message: RedisValue): R<$S>'],
  exists: [`(${keys}): R<number>`],
  expire: [`(${K}, seconds: ${num}, condition?: 'NX' | 'XX' | 'GT' | 'LT'): R<number>`],
  expireat: [`(${K}, unixSeconds: ${num}, condition?: 'NX' | 'XX' | 'GT' | 'LT'): R<number>`],
  expiretime: [`(${K}): R<number>`],
  flushall: ["(mode?: 'ASYNC' | 'SYNC'): R<$OK>"],
  flushdb: ["(mode?: 'ASYNC' | 'SYNC'): R<$OK>"],
  info: ['(...sections: string[]): R<$S>'],
  keys: ['(pattern: RedisValue): R<$S[]>'],
  persist: [`(${K}): R<number>`],
  pexpire: [`(${K}, milliseconds: ${num}, condition?: 'NX' | 'XX' | 'GT' | 'LT'): R<number>`],
  pexpireat: [`(${K}, unixMilliseconds: ${num}, condition?: 'NX' | 'XX' | 'GT' | 'LT'): R<number>`],
  pexpiretime: [`(${K}): R<number>`],
  ping: ['(): R<$OK>', '(message: RedisValue): R<$S>'],
  pttl: [`(${K}): R<number>`],
  randomkey: ['(): R<$S | null>'],
  rename: [`(${K}, newkey: RedisKey): R<$OK>`],
  renamenx: [`(${K}, newkey: RedisKey): R<number>`],
  scan: ['(cursor: number | string, ...options: (string | number)[]): R<[cursor: $S, keys: $S[]]>'],
  time: ['(): R<[seconds: $S, microseconds: $S]>'],
  touch: [`(${keys}): R<number>`],
  ttl: [`(${K}): R<number>`],
  type: [`(${K}): R<$S>`],
  unlink: [`(${keys}): R<number>`],

  // hashes
  hdel: [`(${K}, ...fields: RedisValues): R<number>`],
  hexists: [`(${K}, field: RedisValue): R<number>`],
  hget: [`(${K}, field: RedisValue): R<$S | null>`],
  hgetall: [`(${K}): R<Record<string, $S>>`],
  hincrby: [`(${K}, field: RedisValue, increment: ${num}): R<number>`],
  hincrbyfloat: [`(${K}, field: RedisValue, increment: ${num}): R<$S>`],
  hkeys: [`(${K}): R<$S[]>`],
  hlen: [`(${K}): R<number>`],
  hmget: [`(${K}, ...fields: RedisValues): R<($S | null)[]>`],
  hmset: [
    `(${K}, values: Record<string, RedisValue> | Map<RedisValue, RedisValue>): R<$OK>`,
    `(${K}, ...fieldValues: RedisValue[]): R<$OK>`,
  ],
  hrandfield: [
    `(${K}): R<$S | null>`,
    `(${K}, count: ${num}): R<$S[]>`,
    `(${K}, count: ${num}, withvalues: 'WITHVALUES'): R<$S[]>`,
  ],
  hscan: [`(${K}, cursor: number | string, ...options: (string | number)[]): R<[cursor: $S, fieldsAndValues: $S[]]>`],
  hset: [
    `(${K}, values: Record<string, RedisValue> | Map<RedisValue, RedisValue>): R<number>`,
    `(${K}, ...fieldValues: RedisValue[]): R<number>`,
  ],
  hsetnx: [`(${K}, field: RedisValue, value: RedisValue): R<number>`],
  hstrlen: [`(${K}, field: RedisValue): R<number>`],
  hvals: [`(${K}): R<$S[]>`],

  // lists
  blmove: [`(source: RedisKey, destination: RedisKey, from: 'LEFT' | 'RIGHT', to: 'LEFT' | 'RIGHT', timeout: ${num}): R<$S | null>`],
  blpop: [`(...keysAndTimeout: (RedisKey | number)[]): R<[key: $S, element: $S] | null>`],
  brpop: [`(...keysAndTimeout: (RedisKey | number)[]): R<[key: $S, element: $S] | null>`],
  brpoplpush: [`(source: RedisKey, destination: RedisKey, timeout: ${num}): R<$S | null>`],
  lindex: [`(${K}, index: ${num}): R<$S | null>`],
  linsert: [`(${K}, where: 'BEFORE' | 'AFTER', pivot: RedisValue, element: RedisValue): R<number>`],
  llen: [`(${K}): R<number>`],
  lmove: [`(source: RedisKey, destination: RedisKey, from: 'LEFT' | 'RIGHT', to: 'LEFT' | 'RIGHT'): R<$S | null>`],
  lpop: [`(${K}): R<$S | null>`, `(${K}, count: ${num}): R<$S[] | null>`],
  lpos: [`(${K}, element: RedisValue, ...options: (string | number)[]): R<number | number[] | null>`],
  lpush: [`(${K}, ...elements: RedisValues): R<number>`],
  lpushx: [`(${K}, ...elements: RedisValues): R<number>`],
  lrange: [`(${K}, start: ${num}, stop: ${num}): R<$S[]>`],
  lrem: [`(${K}, count: ${num}, element: RedisValue): R<number>`],
  lset: [`(${K}, index: ${num}, element: RedisValue): R<$OK>`],
  ltrim: [`(${K}, start: ${num}, stop: ${num}): R<$OK>`],
  rpop: [`(${K}): R<$S | null>`, `(${K}, count: ${num}): R<$S[] | null>`],
  rpoplpush: [`(source: RedisKey, destination: RedisKey): R<$S | null>`],
  rpush: [`(${K}, ...elements: RedisValues): R<number>`],
  rpushx: [`(${K}, ...elements: RedisValues): R<number>`],

  // sets
  sadd: [`(${K}, ...members: RedisValues): R<number>`],
  scard: [`(${K}): R<number>`],
  sdiff: [`(${keys}): R<$S[]>`],
  sdiffstore: [`(destination: RedisKey, ${keys}): R<number>`],
  sinter: [`(${keys}): R<$S[]>`],
  sintercard: [`(numkeys: ${num}, ...keysAndOptions: (RedisKey | number)[]): R<number>`],
  sinterstore: [`(destination: RedisKey, ${keys}): R<number>`],
  sismember: [`(${K}, member: RedisValue): R<number>`],
  smembers: [`(${K}): R<$S[]>`],
  smismember: [`(${K}, ...members: RedisValues): R<number[]>`],
  smove: [`(source: RedisKey, destination: RedisKey, member: RedisValue): R<number>`],
  spop: [`(${K}): R<$S | null>`, `(${K}, count: ${num}): R<$S[]>`],
  srandmember: [`(${K}): R<$S | null>`, `(${K}, count: ${num}): R<$S[]>`],
  srem: [`(${K}, ...members: RedisValues): R<number>`],
  sscan: [`(${K}, cursor: number | string, ...options: (string | number)[]): R<[cursor: $S, members: $S[]]>`],
  sunion: [`(${keys}): R<$S[]>`],
  sunionstore: [`(destination: RedisKey, ${keys}): R<number>`],

  // sorted sets
  bzpopmax: [`(...keysAndTimeout: (RedisKey | number)[]): R<[key: $S, member: $S, score: $S] | null>`],
  bzpopmin: [`(...keysAndTimeout: (RedisKey | number)[]): R<[key: $S, member: $S, score: $S] | null>`],
  zadd: [
    `(${K}, ...scoreMembers: (number | string | Buffer)[]): R<number>`,
    `(${K}, ...optionsScoreMembers: (number | string | Buffer)[]): R<number | $S | null>`,
  ],
  zcard: [`(${K}): R<number>`],
  zcount: [`(${K}, min: ${num}, max: ${num}): R<number>`],
  zincrby: [`(${K}, increment: ${num}, member: RedisValue): R<$S>`],
  zmscore: [`(${K}, ...members: RedisValues): R<($S | null)[]>`],
  zpopmax: [`(${K}, count?: ${num}): R<$S[]>`],
  zpopmin: [`(${K}, count?: ${num}): R<$S[]>`],
  zrange: [`(${K}, start: ${num}, stop: ${num}, ...options: (string | number)[]): R<$S[]>`],
  zrangebyscore: [`(${K}, min: ${num}, max: ${num}, ...options: (string | number)[]): R<$S[]>`],
  zrank: [`(${K}, member: RedisValue): R<number | null>`],
  zrem: [`(${K}, ...members: RedisValues): R<number>`],
  zremrangebyrank: [`(${K}, start: ${num}, stop: ${num}): R<number>`],
  zremrangebyscore: [`(${K}, min: ${num}, max: ${num}): R<number>`],
  zrevrange: [`(${K}, start: ${num}, stop: ${num}, withscores?: 'WITHSCORES'): R<$S[]>`],
  zrevrangebyscore: [`(${K}, max: ${num}, min: ${num}, ...options: (string | number)[]): R<$S[]>`],
  zrevrank: [`(${K}, member: RedisValue): R<number | null>`],
  zscan: [`(${K}, cursor: number | string, ...options: (string | number)[]): R<[cursor: $S, membersAndScores: $S[]]>`],
  zscore: [`(${K}, member: RedisValue): R<$S | null>`],

  // pub/sub (subscribe and friends are declared by hand)
  publish: ['(channel: RedisValue, message: RedisValue): R<number>'],
  spublish: ['(channel: RedisValue, message: RedisValue): R<number>'],

  // transactions
  watch: [`(${keys}): R<$OK>`],
  unwatch: ['(): R<$OK>'],

  // streams
  xadd: [`(${K}, ...args: RedisValue[]): R<$S | null>`],
  xlen: [`(${K}): R<number>`],
  xdel: [`(${K}, ...ids: RedisValues): R<number>`],
  xrange: [`(${K}, start: RedisValue, end: RedisValue, ...options: (string | number)[]): R<[id: $S, fields: $S[]][]>`],
  xrevrange: [`(${K}, end: RedisValue, start: RedisValue, ...options: (string | number)[]): R<[id: $S, fields: $S[]][]>`],
  xtrim: [`(${K}, ...args: RedisValue[]): R<number>`],

  // hyperloglog
  pfadd: [`(${K}, ...elements: RedisValues): R<number>`],
  pfcount: [`(${keys}): R<number>`],
  pfmerge: [`(destination: RedisKey, ...sources: RedisKeys): R<$OK>`],
};
