// Compiled with tsc --noEmit --strict by test/types.test.js: ordinary typed
// use of the API must type-check, and the results must have the types
// declared (the assignments below fail to compile otherwise).
import redlite, { open, openSync, Redlite, ReplyError, ClosedError, Pipeline, ExecResult } from '../..';

async function main(): Promise<void> {
  const db: Redlite = await open('sample.db', { durability: 'full', database: 1 });
  const s1: 'OK' = await db.set('k', 'v');
  const s2: 'OK' = await db.set('k', 'v', 'EX', 10);
  const s3: 'OK' | null = await db.set('k', 'v', 'NX');
  const s4: string | null = await db.set('k', 'v', 'GET');
  const v: string | null = await db.get('k');
  const b: Buffer | null = await db.getBuffer('k');
  const n: number = await db.incr('counter');
  const h: number = await db.hset('h', { a: 1, b: 'two' });
  const all: Record<string, string> = await db.hgetall('h');
  const allb: Record<string, Buffer> = await db.hgetallBuffer('h');
  const z: number = await db.zadd('z', 1, 'a', 2, 'b');
  const range: string[] = await db.zrange('z', 0, -1, 'WITHSCORES');
  const popped: [key: string, element: string] | null = await db.blpop('list', 1);
  const many: (string | null)[] = await db.mget('a', 'b', ['c', 'd']);
  const d: number = await db.del(['a', 'b']);
  const any = await db.call('OBJECT', 'ENCODING', 'k');
  const subs: number = await db.subscribe('news', 'sports');
  db.on('message', (channel: string, message: string) => console.log(channel, message));
  db.on('pmessage', (pattern: string, channel: string, message: string) => console.log(pattern, channel, message));
  db.on('messageBuffer', (channel: Buffer, message: Buffer) => console.log(channel.length, message.length));

  // The declarations are precise enough to catch mistakes (tsc fails if
  // one of these lines compiles):
  // @ts-expect-error GET gives a string or null
  const wrong1: number = await db.get('k');
  // @ts-expect-error getBuffer gives a Buffer
  const wrong2: string | null = await db.getBuffer('k');
  // @ts-expect-error durability is 'normal' or 'full'
  await open('x.db', { durability: 'sometimes' });
  // @ts-expect-error db.sync results are not promises
  const wrong3: Promise<string | null> = db.sync.get('k');

  const syncValue: string | null = db.sync.get('k');
  const syncOk: 'OK' = db.sync.set('k', 'v');
  const syncLen: number = db.sync.rpush('list', 'a', 'b');

  const p: Pipeline = db.multi().set('a', '1').incr('a').get('a');
  const res: ExecResult | null = await p.exec();
  if (res) {
    const [err, value] = res[2];
    if (err === null) console.log(value);
  }
  await db.watch('a');

  const total: number = await db.transaction(async (tx) => {
    await tx.set('x', '1');
    return tx.incrby('x', 41);
  });

  const conn = db.connection();
  await conn.select(2);
  await conn.close();

  try {
    await db.lpush('k', 'x');
  } catch (e) {
    if (e instanceof ReplyError) console.log(e.code, e.message);
    if (e instanceof ClosedError) console.log('closed');
  }
  await db.close();
  const db2 = openSync(':memory:');
  db2.closeSync();
  const db3 = await redlite.open();
  await db3.quit();
  console.log(wrong1, wrong2, wrong3, s1, s2, s3, s4, v, b, n, h, all, allb, z, range, popped, many, d, any, subs, syncValue, syncOk, syncLen, total);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
