package redlite

import "context"

// Bitmap commands on string values.

// SetBit sets the bit at offset to value (0 or 1) and returns its old value.
func (c cmds) SetBit(ctx context.Context, key string, offset int64, value int) (int64, error) {
	return toInt(c.run(ctx, newArgv("setbit", 3).s(key).i(offset).i(int64(value))))
}

// GetBit returns the bit at offset.
func (c cmds) GetBit(ctx context.Context, key string, offset int64) (int64, error) {
	return toInt(c.run(ctx, newArgv("getbit", 2).s(key).i(offset)))
}

// BitCount is the range of BitCount: Start and End are inclusive, in bytes
// unless Unit is "bit".
type BitCount struct {
	Start, End int64
	Unit       string // "byte" (default) or "bit"
}

// BitCount counts the set bits of the value at key, in bc's range (all of
// it when bc is nil).
func (c cmds) BitCount(ctx context.Context, key string, bc *BitCount) (int64, error) {
	a := newArgv("bitcount", 4).s(key)
	if bc != nil {
		a = a.i(bc.Start).i(bc.End)
		if bc.Unit != "" {
			a = a.s(bc.Unit)
		}
	}
	return toInt(c.run(ctx, a))
}

// BitPos returns the position of the first bit set to bit (0 or 1), looking
// from the optional start byte to the optional end byte.
func (c cmds) BitPos(ctx context.Context, key string, bit int64, pos ...int64) (int64, error) {
	a := newArgv("bitpos", 2+len(pos)).s(key).i(bit)
	for _, p := range pos {
		a = a.i(p)
	}
	return toInt(c.run(ctx, a))
}

// BitPosSpan is BitPos with the range's unit ("byte" or "bit").
func (c cmds) BitPosSpan(ctx context.Context, key string, bit int8, start, end int64, span string) (int64, error) {
	return toInt(c.run(ctx, newArgv("bitpos", 5).s(key).i(int64(bit)).i(start).i(end).s(span)))
}

func (c cmds) bitOp(ctx context.Context, op, destKey string, keys []string) (int64, error) {
	return toInt(c.run(ctx, newArgv("bitop", 2+len(keys)).s(op, destKey).s(keys...)))
}

// BitOpAnd stores the bitwise AND of keys at destKey and returns its length.
func (c cmds) BitOpAnd(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return c.bitOp(ctx, "and", destKey, keys)
}

// BitOpOr stores the bitwise OR of keys at destKey and returns its length.
func (c cmds) BitOpOr(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return c.bitOp(ctx, "or", destKey, keys)
}

// BitOpXor stores the bitwise XOR of keys at destKey and returns its length.
func (c cmds) BitOpXor(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return c.bitOp(ctx, "xor", destKey, keys)
}

// BitOpNot stores the bitwise NOT of key at destKey and returns its length.
func (c cmds) BitOpNot(ctx context.Context, destKey string, key string) (int64, error) {
	return c.bitOp(ctx, "not", destKey, []string{key})
}

// BitField runs BITFIELD subcommands given as arguments ("GET", "u8", 0,
// "INCRBY", "i5", 100, 1, "OVERFLOW", "FAIL"...). A failed OVERFLOW FAIL
// operation reads as 0, as in go-redis.
func (c cmds) BitField(ctx context.Context, key string, values ...any) ([]int64, error) {
	a, err := newArgv("bitfield", 1+len(values)).s(key).v(values...)
	if err != nil {
		return nil, err
	}
	return toInts(c.run(ctx, a))
}

// BitFieldRO runs BITFIELD_RO GET subcommands ("GET", "u8", 0, ...).
func (c cmds) BitFieldRO(ctx context.Context, key string, values ...any) ([]int64, error) {
	a, err := newArgv("bitfield_ro", 1+len(values)).s(key).v(values...)
	if err != nil {
		return nil, err
	}
	return toInts(c.run(ctx, a))
}
