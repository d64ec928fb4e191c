package core

import (
	"encoding/binary"

	"github.com/redlite/redlite/core/resp"
)

// streamMeta is a stream's metadata as one command sees and changes it.
// save writes it back and records the write on the keys row.
type streamMeta struct {
	k      keyInfo
	key    []byte
	length int64
	last   streamID // last ID generated
	maxDel streamID // largest ID removed by XDEL
	added  int64    // entries ever added
	tail   *tailNode
}

const sqlStreamMeta = `SELECT last_ms, last_seq, max_del_ms, max_del_seq, entries_added,
	tail_ms, tail_seq, tail_last_ms, tail_last_seq, tail_appended, tail_live, tail_bytes, tail_fields
	FROM streams WHERE key_id = ?`

func (tx *Tx) loadStream(k keyInfo, key []byte) *streamMeta {
	m := &streamMeta{k: k, key: key, length: k.Count}
	tx.queryRow(sqlStreamMeta, args(k.ID), func(r *rows) {
		m.last, m.maxDel, m.added = scanStreamID(r, 0), scanStreamID(r, 2), r.int(4)
		if !r.isNull(5) {
			m.tail = &tailNode{first: scanStreamID(r, 5), last: scanStreamID(r, 7),
				appended: r.int(9), live: r.int(10), bytes: r.int(11), fields: r.bytes(12)}
		}
	})
	return m
}

// streamRead finds a live stream for a read. wrong is true when the key
// holds another type.
func (tx *Tx) streamRead(key []byte) (m *streamMeta, wrong bool) {
	k, found, wrongType := tx.lookupType(key, TypeStream)
	if !found || wrongType {
		return nil, wrongType
	}
	return tx.loadStream(k, key), false
}

// streamWrite is streamRead for a command about to write (an expired key is
// removed first).
func (tx *Tx) streamWrite(key []byte) (m *streamMeta, wrong bool) {
	k, found, wrongType := tx.lookupWriteType(key, TypeStream)
	if !found || wrongType {
		return nil, wrongType
	}
	return tx.loadStream(k, key), false
}

// createStream adds an empty stream at key.
func (tx *Tx) createStream(key []byte) *streamMeta {
	id := tx.createKey(key, TypeStream, 0, nil)
	z := sqlU64(0)
	tx.exec(`INSERT INTO streams(key_id, last_ms, last_seq, max_del_ms, max_del_seq, entries_added) VALUES(?, ?, ?, ?, ?, 0)`,
		id, z, z, z, z)
	return &streamMeta{k: keyInfo{ID: id, Type: TypeStream, Version: 1}, key: key}
}

// save writes the metadata and records the write on the key: its version
// moves on (WATCH) and its count is the stream's length. Streams are kept
// when they become empty, as in Redis.
func (tx *Tx) save(m *streamMeta) {
	tx.saveMeta(m)
	tx.touchKey(m.k, m.key, m.length-m.k.Count)
	m.k.Count = m.length
	m.k.Version++
}

// saveMeta writes the streams row only: for XSETID, which Redis does not
// count as modifying the key (WATCH).
func (tx *Tx) saveMeta(m *streamMeta) {
	var tailMS, tailSeq, lastMS, lastSeq, appended, live, bytes any
	var fields any
	if t := m.tail; t != nil {
		tailMS, tailSeq, lastMS, lastSeq = t.first.sqlMS(), t.first.sqlSeq(), t.last.sqlMS(), t.last.sqlSeq()
		appended, live, bytes, fields = t.appended, t.live, t.bytes, t.fields
	}
	tx.exec(`UPDATE streams SET last_ms = ?, last_seq = ?, max_del_ms = ?, max_del_seq = ?, entries_added = ?,
		tail_ms = ?, tail_seq = ?, tail_last_ms = ?, tail_last_seq = ?, tail_appended = ?, tail_live = ?,
		tail_bytes = ?, tail_fields = ? WHERE key_id = ?`,
		m.last.sqlMS(), m.last.sqlSeq(), m.maxDel.sqlMS(), m.maxDel.sqlSeq(), m.added,
		tailMS, tailSeq, lastMS, lastSeq, appended, live, bytes, fields, m.k.ID)
}

// encodeFields packs an entry's fields and values: each a uvarint length
// followed by its bytes.
func encodeFields(fv [][]byte) []byte {
	n := 0
	for _, f := range fv {
		n += len(f) + binary.MaxVarintLen32
	}
	b := make([]byte, 0, n)
	for _, f := range fv {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// decodeFields unpacks encodeFields' output into bulk replies.
func decodeFields(b []byte) []resp.Value {
	var out []resp.Value
	for len(b) > 0 {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			break // not reachable for rows written by encodeFields
		}
		out = append(out, resp.BulkValue(b[n:n+int(l)]))
		b = b[n+int(l):]
	}
	if out == nil {
		out = []resp.Value{}
	}
	return out
}

// streamEntry is one entry read from the stream.
type streamEntry struct {
	id     streamID
	fields []byte
}

// reply is the entry as XRANGE returns it: [id, [field, value...]].
func (e streamEntry) reply() resp.Value {
	return resp.ArrayValue([]resp.Value{e.id.reply(), resp.ArrayValue(decodeFields(e.fields))})
}

func entriesReply(es []streamEntry) resp.Value {
	out := make([]resp.Value, len(es))
	for i, e := range es {
		out[i] = e.reply()
	}
	return resp.ArrayValue(out)
}

// appendEntry adds an entry with a new ID to the stream.
func (tx *Tx) appendEntry(m *streamMeta, id streamID, fv [][]byte, totLen int64) {
	tx.exec(`INSERT INTO stream_entries(key_id, ms, seq, fields) VALUES(?, ?, ?, ?)`,
		m.k.ID, id.sqlMS(), id.sqlSeq(), encodeFields(fv))
	tx.nodeAppend(m, id, fv, totLen)
	m.last = id
	m.length++
	m.added++
}

// rangeEntries returns the entries with start <= id <= end, in order (or
// reversed), at most count of them (0 = all).
func (tx *Tx) rangeEntries(keyID int64, start, end streamID, count int64, rev bool) []streamEntry {
	if start.cmp(end) > 0 {
		return nil
	}
	q := `SELECT ms, seq, fields FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) AND (ms, seq) <= (?, ?) ORDER BY ms, seq LIMIT ?`
	if rev {
		q = `SELECT ms, seq, fields FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) AND (ms, seq) <= (?, ?) ORDER BY ms DESC, seq DESC LIMIT ?`
	}
	limit := count
	if limit <= 0 {
		limit = -1
	}
	var out []streamEntry
	tx.query(q, args(keyID, start.sqlMS(), start.sqlSeq(), end.sqlMS(), end.sqlSeq(), limit), func(r *rows) bool {
		out = append(out, streamEntry{id: scanStreamID(r, 0), fields: r.bytes(2)})
		return true
	})
	return out
}

// getEntry reads one entry.
func (tx *Tx) getEntry(keyID int64, id streamID) (streamEntry, bool) {
	e := streamEntry{id: id}
	found := tx.queryRow(`SELECT fields FROM stream_entries WHERE key_id = ? AND ms = ? AND seq = ?`,
		args(keyID, id.sqlMS(), id.sqlSeq()), func(r *rows) { e.fields = r.bytes(0) })
	return e, found
}

// entryExists reports whether entry id is in the stream.
func (tx *Tx) entryExists(keyID int64, id streamID) bool {
	return tx.queryRow(`SELECT 1 FROM stream_entries WHERE key_id = ? AND ms = ? AND seq = ?`,
		args(keyID, id.sqlMS(), id.sqlSeq()), nil)
}

// edgeEntry returns the first (or last) live entry's ID.
func (tx *Tx) edgeEntry(keyID int64, last bool) (streamID, bool) {
	q := `SELECT ms, seq FROM stream_entries WHERE key_id = ? ORDER BY ms, seq LIMIT 1`
	if last {
		q = `SELECT ms, seq FROM stream_entries WHERE key_id = ? ORDER BY ms DESC, seq DESC LIMIT 1`
	}
	var id streamID
	found := tx.queryRow(q, args(keyID), func(r *rows) { id = scanStreamID(r, 0) })
	return id, found
}

// firstID is the first live entry's ID, 0-0 for an empty stream (Redis'
// first_id, which XINFO shows as recorded-first-entry-id).
func (tx *Tx) firstID(m *streamMeta) streamID {
	if m.length == 0 {
		return streamID{}
	}
	id, _ := tx.edgeEntry(m.k.ID, false)
	return id
}

// lastValidID is the last live entry's ID, 0-0 for an empty stream.
func (tx *Tx) lastValidID(m *streamMeta) streamID {
	if m.length == 0 {
		return streamID{}
	}
	id, _ := tx.edgeEntry(m.k.ID, true)
	return id
}

// deleteEntry removes one entry (XDEL) and reports whether it existed.
func (tx *Tx) deleteEntry(m *streamMeta, id streamID) bool {
	n, _ := tx.exec(`DELETE FROM stream_entries WHERE key_id = ? AND ms = ? AND seq = ?`, m.k.ID, id.sqlMS(), id.sqlSeq())
	if n == 0 {
		return false
	}
	m.length--
	tx.entryDeleted(m, id)
	return true
}

// Trimming strategies.
const (
	trimNone = iota
	trimMaxLen
	trimMinID
)

// trimArgs are XADD's and XTRIM's trimming options.
type trimArgs struct {
	strategy int
	maxLen   int64
	minID    streamID
	approx   bool
	limit    int64 // 0 = no limit
}

// trim removes entries from the head of the stream as Redis' streamTrim
// does: whole nodes while that keeps enough entries; then, unless the trim
// is approximate, entries inside the next node. It returns how many entries
// went.
func (tx *Tx) trim(m *streamMeta, a trimArgs) int64 {
	var deleted int64
	var after *streamID
	for {
		if a.strategy == trimMaxLen && m.length <= a.maxLen {
			break
		}
		n, ok := tx.nextNode(m, after)
		if !ok || tx.err != nil {
			break
		}
		entries := int64(-1) // counted when needed: it costs a scan of the node
		live := func() int64 {
			if entries < 0 {
				entries = tx.nodeLive(m, n)
			}
			return entries
		}
		var remove bool
		if a.strategy == trimMaxLen {
			remove = m.length-live() >= a.maxLen
		} else {
			remove = n.last.cmp(a.minID) < 0
		}
		if !remove && a.approx {
			break // whether or not LIMIT would have stopped it first
		}
		if a.limit > 0 && deleted+live() > a.limit {
			break
		}
		if remove {
			count := live() // before the entries go
			tx.deleteRange(m.k.ID, n.first, n.end, n.bounded)
			tx.removeNode(m, n)
			m.length -= count
			deleted += count
			first := n.first
			after = &first
			continue
		}
		// Trim inside this node and stop: the node keeps some entries.
		var stop streamID // exclusive bound of what goes
		if a.strategy == trimMaxLen {
			tx.queryRow(`SELECT ms, seq FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) ORDER BY ms, seq LIMIT 1 OFFSET ?`,
				args(m.k.ID, n.first.sqlMS(), n.first.sqlSeq(), m.length-a.maxLen), func(r *rows) { stop = scanStreamID(r, 0) })
		} else {
			stop = a.minID
			if n.bounded && n.end.cmp(stop) < 0 {
				stop = n.end
			}
		}
		removed, _ := tx.exec(`DELETE FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) AND (ms, seq) < (?, ?)`,
			m.k.ID, n.first.sqlMS(), n.first.sqlSeq(), stop.sqlMS(), stop.sqlSeq())
		if n.isTail {
			m.tail.live -= removed
		}
		m.length -= removed
		deleted += removed
		break
	}
	return deleted
}

// deleteRange deletes the entries from first to end (exclusive), or to the
// end of the stream when bounded is false.
func (tx *Tx) deleteRange(keyID int64, first, end streamID, bounded bool) {
	if bounded {
		tx.exec(`DELETE FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) AND (ms, seq) < (?, ?)`,
			keyID, first.sqlMS(), first.sqlSeq(), end.sqlMS(), end.sqlSeq())
		return
	}
	tx.exec(`DELETE FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?)`, keyID, first.sqlMS(), first.sqlSeq())
}
