package core

import (
	"math"
	"math/rand/v2"
)

// Paging through and sampling the tables keyed by (key_id, h, member): sets
// and sorted sets (h is the member's keyed hash, see memberhash.go).

// hashedTable holds one such table's statements.
type hashedTable struct {
	scan     string // the rows from h = ? on, in key order
	bucket   string // the row at a position among those with h in [?, ?]
	offset   string // the row at a position in h order
	shuffled string // a number of rows in random order
	all      string // every row
}

func newHashedTable(table, score string) *hashedTable {
	sel := `SELECT h, member, ` + score + ` FROM ` + table + ` WHERE key_id = ?`
	return &hashedTable{
		scan:     sel + ` AND h >= ? ORDER BY h, member`,
		bucket:   sel + ` AND h BETWEEN ? AND ? ORDER BY h, member LIMIT 1 OFFSET ?`,
		offset:   sel + ` ORDER BY h, member LIMIT 1 OFFSET ?`,
		shuffled: sel + ` ORDER BY random() LIMIT ?`,
		all:      sel,
	}
}

var (
	setRows  = newHashedTable("sets", "1")
	zsetRows = newHashedTable("zsets", "score")
)

// hrow is one member with its h (and, in a sorted set, its score).
type hrow struct {
	h      int64
	member []byte
	score  float64
}

func scanHRow(r *rows) hrow { return hrow{h: r.int(0), member: r.bytes(1), score: r.float(2)} }

// rows runs q and returns every row.
func (t *hashedTable) rows(tx *Tx, q string, a []any) []hrow {
	var out []hrow
	tx.query(q, a, func(r *rows) bool {
		out = append(out, scanHRow(r))
		return true
	})
	return out
}

// page returns the rows of key id from h = cursor on, in h order: count of
// them, and the rows after those that share the last one's h, so that the
// cursor, the last h + 1, resumes exactly after what was returned. A
// member present for the whole iteration is returned exactly once. next is
// 0 when no row follows.
func (t *hashedTable) page(tx *Tx, id int64, cursor uint64, count int64) (out []hrow, next int64) {
	if cursor > math.MaxInt64 {
		return nil, 0
	}
	more := false
	tx.query(t.scan, args(id, int64(cursor)), func(r *rows) bool {
		h := r.int(0)
		if int64(len(out)) >= count && h != out[len(out)-1].h {
			more = true
			return false
		}
		out = append(out, scanHRow(r))
		return true
	})
	if more {
		// A row with a larger h follows, so the last h is below MaxInt64.
		next = out[len(out)-1].h + 1
	}
	return out, next
}

// A draw from a collection larger than sampleOffsetMax picks one of
// ceil(n/sampleBucketMean) equal ranges of h and a position j below
// sampleBucketCap, both at random, and reads the j-th member of the range
// (one index seek and j steps): when the range holds more than j members
// that member is the draw, otherwise it draws again. Every member is then
// drawn with the same probability, 1/(ranges*cap), however unevenly the
// hashes fall, in cap/mean = 2 tries on average. Only a range holding more
// than sampleBucketCap members would be unfair, its members past the cap
// never drawn while it holds them; with a keyed hash its odds are those of
// Poisson(64) > 128, below 1e-10 per range. Smaller collections are drawn
// by position in one statement.
const (
	sampleOffsetMax  = 256
	sampleBucketMean = 64
	sampleBucketCap  = 128
	sampleTries      = 1000 // then a draw by position, whatever the size
)

// randomDrawNote is what the command table says about random draws.
const randomDrawNote = "Members are drawn uniformly: a draw picks a random range of member hashes holding about 64 members and a random position below 128, " +
	"and takes the member at that position when the range has one (one index seek; two tries on average), so one member costs O(log(N))."

// hsampler draws uniformly random members of one collection.
type hsampler struct {
	tx      *Tx
	t       *hashedTable
	id, n   int64  // key id and element count
	buckets int64  // number of h ranges; 0 draws by position
	width   uint64 // of each h range
}

func (t *hashedTable) sampler(tx *Tx, k keyInfo) *hsampler {
	s := &hsampler{tx: tx, t: t, id: k.ID, n: k.Count}
	if k.Count > sampleOffsetMax {
		s.buckets = (k.Count + sampleBucketMean - 1) / sampleBucketMean
		s.width = uint64(math.MaxInt64)/uint64(s.buckets) + 1
	}
	return s
}

// draw returns one random member.
func (s *hsampler) draw() hrow {
	tx := s.tx
	var out hrow
	for try := 0; s.buckets > 0 && try < sampleTries && tx.err == nil; try++ {
		lo := uint64(rand.Int64N(s.buckets)) * s.width
		hi := min(lo+s.width-1, math.MaxInt64)
		if tx.queryRow(s.t.bucket, args(s.id, int64(lo), int64(hi), rand.IntN(sampleBucketCap)),
			func(r *rows) { out = scanHRow(r) }) {
			return out
		}
	}
	if s.n > 0 {
		tx.queryRow(s.t.offset, args(s.id, rand.Int64N(s.n)), func(r *rows) { out = scanHRow(r) })
	}
	return out
}

// distinct returns count (< the collection's size) different random
// members, in random order.
func (s *hsampler) distinct(count int64) []hrow {
	tx, n := s.tx, s.n
	if n <= 256 || count*4 >= n {
		// A large share: one pass, SQLite keeps the count rows with the
		// smallest random keys.
		return s.t.rows(tx, s.t.shuffled, args(s.id, count))
	}
	// A small share of a large collection: independent draws, duplicates
	// drawn again, which gives a uniformly random subset.
	out := make([]hrow, 0, count)
	seen := make(map[string]struct{}, count)
	for int64(len(out)) < count && tx.err == nil {
		r := s.draw()
		if r.member == nil {
			break // the rows are gone: only a damaged count gets here
		}
		if _, dup := seen[string(r.member)]; dup {
			continue
		}
		seen[string(r.member)] = struct{}{}
		out = append(out, r)
	}
	return out
}

// withRepeats returns count independent random members.
func (s *hsampler) withRepeats(count int64) []hrow {
	tx, n := s.tx, s.n
	out := make([]hrow, 0, count)
	if n <= 1024 || count*4 >= n {
		all := s.t.rows(tx, s.t.all, args(s.id))
		for int64(len(out)) < count && len(all) > 0 {
			out = append(out, all[rand.IntN(len(all))])
		}
		return out
	}
	for int64(len(out)) < count && tx.err == nil {
		r := s.draw()
		if r.member == nil {
			break
		}
		out = append(out, r)
	}
	return out
}
