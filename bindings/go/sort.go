package redlite

import "context"

// SORT and SORT_RO.

// Sort are SORT's options: By a pattern ("weight_*", "nosort"), a LIMIT
// when Count > 0, Get patterns ("#" for the element itself), Order "ASC"
// or "DESC", and Alpha to compare as strings.
type Sort struct {
	By            string
	Offset, Count int64
	Get           []string
	Order         string
	Alpha         bool
}

func (s *Sort) appendTo(a argv) argv {
	if s == nil {
		return a
	}
	if s.By != "" {
		a = a.s("by", s.By)
	}
	if s.Offset != 0 || s.Count != 0 {
		a = a.s("limit").i(s.Offset).i(s.Count)
	}
	for _, g := range s.Get {
		a = a.s("get", g)
	}
	if s.Order != "" {
		a = a.s(s.Order)
	}
	if s.Alpha {
		a = a.s("alpha")
	}
	return a
}

// Sort returns the sorted elements of the list, set or sorted set at key
// (with Get patterns, the values they fetch; a missing one is "").
func (c cmds) Sort(ctx context.Context, key string, sort *Sort) ([]string, error) {
	return toStrings(c.run(ctx, sort.appendTo(newArgv("sort", 12).s(key))))
}

// SortRO is Sort through the read-only SORT_RO.
func (c cmds) SortRO(ctx context.Context, key string, sort *Sort) ([]string, error) {
	return toStrings(c.run(ctx, sort.appendTo(newArgv("sort_ro", 12).s(key))))
}

// SortInterfaces is Sort keeping missing Get values as nil.
func (c cmds) SortInterfaces(ctx context.Context, key string, sort *Sort) ([]any, error) {
	return toAnys(c.run(ctx, sort.appendTo(newArgv("sort", 12).s(key))))
}

// SortStore stores Sort's result as a list at store and returns its length.
func (c cmds) SortStore(ctx context.Context, key, store string, sort *Sort) (int64, error) {
	return toInt(c.run(ctx, sort.appendTo(newArgv("sort", 14).s(key)).s("store", store)))
}
