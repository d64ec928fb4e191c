package redlite

import "context"

// Set commands. Members given as any are converted like values; []string
// and []any arguments are expanded.

func keyMembers(name, key string, members []any) (argv, error) {
	return newArgv(name, 1+len(members)).s(key).vs(members)
}

// SAdd adds members and returns how many were new.
func (c cmds) SAdd(ctx context.Context, key string, members ...any) (int64, error) {
	a, err := keyMembers("sadd", key, members)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// SRem removes members and returns how many were there.
func (c cmds) SRem(ctx context.Context, key string, members ...any) (int64, error) {
	a, err := keyMembers("srem", key, members)
	if err != nil {
		return 0, err
	}
	return toInt(c.run(ctx, a))
}

// SMembers returns every member.
func (c cmds) SMembers(ctx context.Context, key string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("smembers", 1).s(key)))
}

// SMembersMap returns every member as a map's keys.
func (c cmds) SMembersMap(ctx context.Context, key string) (map[string]struct{}, error) {
	ms, err := c.SMembers(ctx, key)
	if err != nil {
		return nil, err
	}
	m := make(map[string]struct{}, len(ms))
	for _, x := range ms {
		m[x] = struct{}{}
	}
	return m, nil
}

// SIsMember reports whether member is in the set.
func (c cmds) SIsMember(ctx context.Context, key string, member any) (bool, error) {
	a, err := newArgv("sismember", 2).s(key).v(member)
	if err != nil {
		return false, err
	}
	return toBool(c.run(ctx, a))
}

// SMIsMember reports for each member whether it is in the set.
func (c cmds) SMIsMember(ctx context.Context, key string, members ...any) ([]bool, error) {
	a, err := keyMembers("smismember", key, members)
	if err != nil {
		return nil, err
	}
	return toBools(c.run(ctx, a))
}

// SCard returns the number of members.
func (c cmds) SCard(ctx context.Context, key string) (int64, error) {
	return toInt(c.run(ctx, newArgv("scard", 1).s(key)))
}

// SPop removes and returns a random member, or Nil.
func (c cmds) SPop(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("spop", 1).s(key)))
}

// SPopN removes and returns up to count random members.
func (c cmds) SPopN(ctx context.Context, key string, count int64) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("spop", 2).s(key).i(count)))
}

// SRandMember returns a random member, or Nil.
func (c cmds) SRandMember(ctx context.Context, key string) (string, error) {
	return toString(c.run(ctx, newArgv("srandmember", 1).s(key)))
}

// SRandMemberN returns up to count distinct random members (count < 0:
// exactly -count, repeats allowed).
func (c cmds) SRandMemberN(ctx context.Context, key string, count int64) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("srandmember", 2).s(key).i(count)))
}

// SMove moves member from source to destination and reports whether it was
// in source.
func (c cmds) SMove(ctx context.Context, source, destination string, member any) (bool, error) {
	a, err := newArgv("smove", 3).s(source, destination).v(member)
	if err != nil {
		return false, err
	}
	return toBool(c.run(ctx, a))
}

// SDiff returns the members of the first set not in the others.
func (c cmds) SDiff(ctx context.Context, keys ...string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("sdiff", len(keys)).s(keys...)))
}

// SInter returns the members common to every set.
func (c cmds) SInter(ctx context.Context, keys ...string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("sinter", len(keys)).s(keys...)))
}

// SUnion returns the members of any of the sets.
func (c cmds) SUnion(ctx context.Context, keys ...string) ([]string, error) {
	return toStrings(c.run(ctx, newArgv("sunion", len(keys)).s(keys...)))
}

// SDiffStore stores SDiff's result at destination and returns its size.
func (c cmds) SDiffStore(ctx context.Context, destination string, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("sdiffstore", 1+len(keys)).s(destination).s(keys...)))
}

// SInterStore stores SInter's result at destination and returns its size.
func (c cmds) SInterStore(ctx context.Context, destination string, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("sinterstore", 1+len(keys)).s(destination).s(keys...)))
}

// SUnionStore stores SUnion's result at destination and returns its size.
func (c cmds) SUnionStore(ctx context.Context, destination string, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("sunionstore", 1+len(keys)).s(destination).s(keys...)))
}

// SInterCard returns the size of the intersection, counting up to limit
// (0 for no limit).
func (c cmds) SInterCard(ctx context.Context, limit int64, keys ...string) (int64, error) {
	return toInt(c.run(ctx, newArgv("sintercard", 3+len(keys)).i(int64(len(keys))).s(keys...).s("limit").i(limit)))
}

// SScan returns a page of members and the next cursor (0 at the end).
func (c cmds) SScan(ctx context.Context, key string, cursor uint64, match string, count int64) ([]string, uint64, error) {
	return c.scan(ctx, newArgv("sscan", 6).s(key), cursor, match, count, "")
}
