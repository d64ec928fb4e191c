package core

import (
	"bytes"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// SORT and SORT_RO over lists, sets and sorted sets, read straight from
// their tables. Weights (BY) and GET values come from string keys or hash
// fields named by a pattern whose first '*' is replaced by the element.

func init() {
	const g = "generic"
	register(
		&Command{Name: "sort", ACL: "write set sortedset list slow dangerous", Arity: -2, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.", Since: "1.0.0",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			Note:       "Each BY or GET lookup is an index lookup (O(log(K)) in the number of keys) where Redis' is O(1). ALPHA compares as strcoll() does in the C locale, the one redis-server starts with by default.",
			Exec:       ExecCustom, Run: func(c *Call) resp.Value { return sortCommand(c, false) }},
		&Command{Name: "sort_ro", ACL: "read set sortedset list slow dangerous", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns the sorted elements of a list, a set, or a sorted set.", Since: "7.0.0",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			Note:       "Each BY or GET lookup is an index lookup (O(log(K)) in the number of keys) where Redis' is O(1). ALPHA compares as strcoll() does in the C locale, the one redis-server starts with by default.",
			Run:        func(c *Call) resp.Value { return sortCommand(c, true) }},
	)
}

var errSortScore = resp.Err("ERR One or more scores can't be converted into double")

// sortArgs is a parsed SORT command.
type sortArgs struct {
	by       []byte // nil: the elements themselves
	dontSort bool   // BY a pattern without '*' (BY nosort)
	gets     [][]byte
	offset   int64
	count    int64 // negative: to the end
	desc     bool
	alpha    bool
	store    []byte
}

func parseSort(c *Call, readonly bool) (sortArgs, resp.Value, bool) {
	p := sortArgs{count: -1}
	for i := 2; i < len(c.Args); i++ {
		a := c.Args[i]
		left := len(c.Args) - i - 1
		switch {
		case eqFold(a, "ASC"):
			p.desc = false
		case eqFold(a, "DESC"):
			p.desc = true
		case eqFold(a, "ALPHA"):
			p.alpha = true
		case eqFold(a, "LIMIT") && left >= 2:
			var errv resp.Value
			var ok bool
			if p.offset, errv, ok = c.argInt(i + 1); !ok {
				return p, errv, false
			}
			if p.count, errv, ok = c.argInt(i + 2); !ok {
				return p, errv, false
			}
			i += 2
		case !readonly && eqFold(a, "STORE") && left >= 1:
			p.store = c.Args[i+1]
			i++
		case eqFold(a, "BY") && left >= 1:
			p.by = c.Args[i+1]
			// A pattern without '*' names no per-element key: nothing is
			// sorted. Redis never undoes this for a later BY.
			if bytes.IndexByte(p.by, '*') < 0 {
				p.dontSort = true
			}
			i++
		case eqFold(a, "GET") && left >= 1:
			p.gets = append(p.gets, c.Args[i+1])
			i++
		default:
			return p, errSyntax, false
		}
	}
	return p, resp.Value{}, true
}

// sortItem is one element with what it sorts by.
type sortItem struct {
	elem   []byte
	score  float64
	weight []byte // ALPHA with BY: the looked-up value, nil when missing
}

func sortCommand(c *Call, readonly bool) resp.Value {
	p, errv, ok := parseSort(c, readonly)
	if !ok {
		return errv
	}
	if readonly {
		return sortRun(c, p)
	}
	// SORT only writes with STORE: otherwise it reads in a reader's
	// snapshot and leaves the writer alone.
	if p.store == nil {
		return c.Read(func(*Tx) resp.Value { return sortRun(c, p) })
	}
	return c.Write(func(*Tx) resp.Value { return sortRun(c, p) })
}

// sortRun is SORT once its arguments are parsed, inside a transaction.
func sortRun(c *Call, p sortArgs) resp.Value {
	k, found := c.lookup(c.Args[1])
	if found && k.Type != TypeList && k.Type != TypeSet && k.Type != TypeZSet {
		return errWrongType
	}
	if found && k.Type == TypeSet && p.dontSort && p.store != nil {
		// An unsorted set would be stored in an arbitrary order: Redis
		// sorts it as strings instead, whatever BY said.
		p.dontSort, p.alpha, p.by = false, true, nil
	}
	var n int64
	if found {
		n = k.Count
	}
	// LIMIT selects the output range [start, end] of the n elements.
	start := max(p.offset, 0)
	end := n - 1
	if p.count >= 0 && p.count-1 < n-1-start {
		end = start + p.count - 1
	}
	var items []sortItem
	if found {
		items = c.sortLoad(k, p, start, end)
	}
	if p.dontSort && found && k.Type != TypeSet {
		// sortLoad returned just the range, in order.
		start, end = 0, int64(len(items))-1
	}
	if !p.dontSort {
		if !c.sortWeights(items, p) {
			return errSortScore
		}
		sortItems(items, p)
	}
	out := []resp.Value{}
	if start <= end && start < int64(len(items)) {
		for _, it := range items[start : end+1] {
			if len(p.gets) == 0 {
				out = append(out, resp.BulkValue(it.elem))
				continue
			}
			for _, pat := range p.gets {
				if v, ok := c.sortLookup(pat, it.elem); ok {
					out = append(out, resp.BulkValue(v))
				} else {
					out = append(out, resp.NilValue())
				}
			}
		}
	}
	if p.store == nil {
		return resp.ArrayValue(out)
	}
	return resp.IntValue(c.sortStore(p.store, out))
}

// sortLoad reads the elements to sort. Unsorted lists and sorted sets come
// back already cut to [start, end] of their own order (reversed by DESC);
// everything else comes whole.
func (tx *Tx) sortLoad(k keyInfo, p sortArgs, start, end int64) []sortItem {
	var items []sortItem
	add := func(r *rows) bool {
		items = append(items, sortItem{elem: r.bytes(0)})
		return true
	}
	ranged := func(q, order string) {
		if start <= end && start < k.Count {
			tx.query(q+order+` LIMIT ? OFFSET ?`, args(k.ID, end-start+1, start), add)
		}
	}
	switch {
	case k.Type == TypeList && p.dontSort:
		ranged(`SELECT value FROM lists WHERE key_id = ? ORDER BY `, map[bool]string{false: "pos", true: "pos DESC"}[p.desc])
	case k.Type == TypeList:
		tx.query(`SELECT value FROM lists WHERE key_id = ? ORDER BY pos`, args(k.ID), add)
	case k.Type == TypeZSet && p.dontSort:
		ranged(`SELECT member FROM zsets WHERE key_id = ? ORDER BY `,
			map[bool]string{false: "score, member", true: "score DESC, member DESC"}[p.desc])
	case k.Type == TypeZSet:
		tx.query(`SELECT member FROM zsets WHERE key_id = ? ORDER BY score, member`, args(k.ID), add)
	default:
		// A set comes in its own order, which only matters unsorted:
		// numeric for a set Redis would hold as an intset, by member
		// bytes otherwise.
		if ints, ok := tx.setAsIntset(k); ok {
			for _, m := range ints {
				items = append(items, sortItem{elem: m})
			}
			break
		}
		tx.query(`SELECT member FROM sets WHERE key_id = ? ORDER BY member`, args(k.ID), add)
	}
	return items
}

// sortWeights fills in what each element sorts by: its BY value (or the
// element itself), as a number unless ALPHA. It reports false when a value
// is not a number.
func (tx *Tx) sortWeights(items []sortItem, p sortArgs) bool {
	ok := true
	for i := range items {
		it := &items[i]
		w := it.elem
		if p.by != nil {
			v, found := tx.sortLookup(p.by, it.elem)
			if !found {
				continue // missing: score 0, or first in ALPHA order
			}
			w = v
		}
		if p.alpha {
			if p.by != nil {
				it.weight = w
			}
			continue
		}
		f, good := parseSortScore(w)
		if !good {
			ok = false
		}
		it.score = f
	}
	return ok
}

// parseSortScore reads a weight as Redis' strtod-based check does: leading
// spaces and an empty string (0) pass; trailing bytes, NaN, overflow and
// underflow do not.
func parseSortScore(b []byte) (float64, bool) {
	i := 0
	for i < len(b) && isSpaceByte(b[i]) {
		i++
	}
	s := string(b[i:])
	if s == "" {
		return 0, true
	}
	if strings.ContainsRune(s, '_') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, false
		}
		h, ok := parseHexInt(s)
		if !ok {
			return 0, false
		}
		f = h
	}
	if math.IsNaN(f) || (f == 0 && hasNonZeroMantissa(s)) {
		return 0, false
	}
	return f, true
}

// sortItems orders the elements as Redis' comparison does. Numbers: by
// score, ties by the elements' bytes. ALPHA: by the BY values (missing
// ones first) or the elements, compared as strcoll() in the C locale
// compares (up to the first NUL byte), ties kept in load order. DESC
// reverses the comparison.
func sortItems(items []sortItem, p sortArgs) {
	cmp := func(a, b *sortItem) int {
		switch {
		case !p.alpha:
			switch {
			case a.score < b.score:
				return -1
			case a.score > b.score:
				return 1
			}
			return bytes.Compare(a.elem, b.elem)
		case p.by != nil:
			switch {
			case a.weight == nil && b.weight == nil:
				return 0
			case a.weight == nil:
				return -1
			case b.weight == nil:
				return 1
			}
			return cstrCompare(a.weight, b.weight)
		}
		return cstrCompare(a.elem, b.elem)
	}
	sort.SliceStable(items, func(i, j int) bool {
		c := cmp(&items[i], &items[j])
		if p.desc {
			return c > 0
		}
		return c < 0
	})
}

// cstrCompare compares two byte strings as C strings: up to the first NUL.
func cstrCompare(a, b []byte) int {
	if i := bytes.IndexByte(a, 0); i >= 0 {
		a = a[:i]
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return bytes.Compare(a, b)
}

// sortLookup resolves a BY or GET pattern for one element: "#" is the
// element itself; otherwise the first '*' is replaced by the element and
// the key read as a string, or, with "->field" after the '*', as a hash
// field. A pattern without '*', a missing key or one of another type give
// nothing.
func (tx *Tx) sortLookup(pat, elem []byte) ([]byte, bool) {
	if len(pat) == 1 && pat[0] == '#' {
		return elem, true
	}
	star := bytes.IndexByte(pat, '*')
	if star < 0 {
		return nil, false
	}
	keyPat, field := pat, []byte(nil)
	if arrow := bytes.Index(pat[star+1:], []byte("->")); arrow >= 0 && star+1+arrow+2 < len(pat) {
		keyPat, field = pat[:star+1+arrow], pat[star+1+arrow+2:]
	}
	key := make([]byte, 0, len(keyPat)-1+len(elem))
	key = append(append(append(key, keyPat[:star]...), elem...), keyPat[star+1:]...)
	if field != nil {
		v, found, _ := tx.hashField(key, field)
		return v, found
	}
	v, found, wrong := tx.getString(key)
	return v, found && !wrong
}

// sortStore replaces whatever dst holds with a list of the output (GET
// misses stored as empty strings), or deletes it when there is none, and
// returns the list's length.
func (tx *Tx) sortStore(dst []byte, out []resp.Value) int64 {
	old, existed := tx.lookupWrite(dst)
	if existed {
		tx.deleteKey(old.ID, dst)
	}
	if len(out) == 0 {
		if existed {
			tx.notify(notifyGeneric, "del", dst)
		}
		return 0
	}
	vals := make([][]byte, len(out))
	for i, v := range out {
		vals[i] = v.Str
		if vals[i] == nil {
			vals[i] = []byte{}
		}
	}
	k := keyInfo{ID: tx.createKey(dst, TypeList, 0, nil), Type: TypeList}
	tx.listAppend(k.ID, 0, false, vals)
	tx.touchKey(k, dst, int64(len(vals)))
	tx.notify(notifyList, "sortstore", dst)
	return int64(len(vals))
}
