package core

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Redis keeps a stream as a radix tree of listpack "nodes" of up to
// stream-node-max-entries entries and stream-node-max-bytes bytes.
// Approximate trimming (MAXLEN ~, MINID ~) only removes whole nodes, and
// XINFO reports the tree's size, so redlite tracks where Redis' node
// boundaries would fall: each node's first (master) ID, its master fields,
// how many entries were appended to it and the listpack's size, computed
// with the listpack encoding rules. Entries themselves are stored once, in
// stream_entries.

// tailNode is the open node new entries go to.
type tailNode struct {
	first    streamID
	last     streamID // the last entry appended
	appended int64    // live and deleted entries
	live     int64
	bytes    int64  // listpack size without the live and deleted counters
	fields   []byte // master fields, encoded as entries are
}

// lpBytes is the node's listpack size as Redis computes it.
func (n *tailNode) lpBytes() int64 {
	return n.bytes + lpIntSize(n.live) + lpIntSize(n.appended-n.live)
}

// Listpack element sizes: the encoding plus the back-length.

func lpIntSize(v int64) int64 {
	switch {
	case v >= 0 && v <= 127:
		return 2
	case v >= -4096 && v <= 4095:
		return 3
	case v >= -32768 && v <= 32767:
		return 4
	case v >= -8388608 && v <= 8388607:
		return 5
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 6
	}
	return 10
}

func lpStrSize(s []byte) int64 {
	if v, ok := ParseInt(s); ok {
		return lpIntSize(v) // listpacks store integer-looking strings as integers
	}
	n := int64(len(s))
	var enc int64
	switch {
	case n < 64:
		enc = 1 + n
	case n < 4096:
		enc = 2 + n
	default:
		enc = 5 + n
	}
	switch {
	case enc <= 127:
		return enc + 1
	case enc < 16383:
		return enc + 2
	case enc < 2097151:
		return enc + 3
	case enc < 268435455:
		return enc + 4
	}
	return enc + 5
}

// Entry flags inside a listpack.
const (
	lpFlagDeleted    = 1
	lpFlagSameFields = 2
)

// nodeBaseBytes is the size of a new node holding only its master entry
// (header, end byte, field count, fields, terminator), without the counters.
func nodeBaseBytes(fv [][]byte) int64 {
	n := int64(6+1) + lpIntSize(int64(len(fv)/2)) + lpIntSize(0)
	for i := 0; i < len(fv); i += 2 {
		n += lpStrSize(fv[i])
	}
	return n
}

// entryBytes is the size of one entry appended to a node with master ID
// master and master fields masterFields (encoded).
func entryBytes(id, master streamID, masterFields []byte, fv [][]byte) int64 {
	same := sameFields(masterFields, fv)
	nf := int64(len(fv) / 2)
	n := lpIntSize(lpFlagSameFields) + lpIntSize(int64(id.ms-master.ms)) + lpIntSize(int64(id.seq-master.seq))
	lpCount := nf + 3
	if !same {
		n += lpIntSize(nf)
		lpCount += nf + 1
	}
	for i := 0; i < len(fv); i += 2 {
		if !same {
			n += lpStrSize(fv[i])
		}
		n += lpStrSize(fv[i+1])
	}
	return n + lpIntSize(lpCount)
}

// sameFields reports whether the entry's field names are the master's.
func sameFields(master []byte, fv [][]byte) bool {
	i := 0
	for j := 0; j < len(fv); j += 2 {
		l, n := binary.Uvarint(master[i:])
		if n <= 0 || uint64(len(master)-i-n) < l {
			return false
		}
		i += n
		if string(master[i:i+int(l)]) != string(fv[j]) {
			return false
		}
		i += int(l)
	}
	return i == len(master)
}

// encodeNames encodes the field names of fv (for a node's master fields).
func encodeNames(fv [][]byte) []byte {
	var b []byte
	for i := 0; i < len(fv); i += 2 {
		b = binary.AppendUvarint(b, uint64(len(fv[i])))
		b = append(b, fv[i]...)
	}
	return b
}

// nodeLimits reads stream-node-max-bytes and stream-node-max-entries.
func (tx *Tx) nodeLimits() (maxBytes, maxEntries int64) {
	maxBytes, maxEntries = 4096, 100
	if tx.store.Config == nil {
		return
	}
	if v, ok := tx.store.Config.Get("stream-node-max-bytes"); ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			maxBytes = n
		}
	}
	if v, ok := tx.store.Config.Get("stream-node-max-entries"); ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			maxEntries = n
		}
	}
	const listpackMax = 1 << 30
	if maxBytes <= 0 || maxBytes > listpackMax {
		maxBytes = listpackMax
	}
	return
}

// nodeAppend accounts for appending entry id to the tail node, opening a
// new node first when Redis would.
func (tx *Tx) nodeAppend(m *streamMeta, id streamID, fv [][]byte, totLen int64) {
	if m.tail != nil {
		maxBytes, maxEntries := tx.nodeLimits()
		if m.tail.lpBytes()+totLen >= maxBytes || (maxEntries > 0 && m.tail.appended >= maxEntries) {
			tx.closeTail(m)
		}
	}
	if m.tail == nil {
		m.tail = &tailNode{first: id, fields: encodeNames(fv), bytes: nodeBaseBytes(fv)}
		tx.exec(`INSERT INTO stream_nodes(key_id, ms, seq, last_ms, last_seq, appended, bytes, fields)
			VALUES(?, ?, ?, ?, ?, 0, 0, x'')`, m.k.ID, id.sqlMS(), id.sqlSeq(), id.sqlMS(), id.sqlSeq())
	}
	t := m.tail
	t.bytes += entryBytes(id, t.first, t.fields, fv)
	t.appended++
	t.live++
	t.last = id
}

// closeTail writes the tail node's state into its row: it will not grow again.
func (tx *Tx) closeTail(m *streamMeta) {
	t := m.tail
	tx.exec(`UPDATE stream_nodes SET last_ms = ?, last_seq = ?, appended = ?, bytes = ?, fields = ?
		WHERE key_id = ? AND ms = ? AND seq = ?`, t.last.sqlMS(), t.last.sqlSeq(), t.appended, t.bytes, t.fields,
		m.k.ID, t.first.sqlMS(), t.first.sqlSeq())
	m.tail = nil
}

// streamNode is a node row, with the bound of its entries: the next
// node's first ID (exclusive), unless it is the last node.
type streamNode struct {
	first, last streamID
	end         streamID
	bounded     bool
	isTail      bool
}

// nextNode returns the first node after `after` (or the first node when
// after is nil), reading its successor in the same statement.
func (tx *Tx) nextNode(m *streamMeta, after *streamID) (streamNode, bool) {
	var n streamNode
	rowsSeen := 0
	scan := func(r *rows) bool {
		if rowsSeen == 0 {
			n.first, n.last = scanStreamID(r, 0), scanStreamID(r, 2)
		} else {
			n.end, n.bounded = scanStreamID(r, 0), true
		}
		rowsSeen++
		return rowsSeen < 2
	}
	if after == nil {
		tx.query(`SELECT ms, seq, last_ms, last_seq FROM stream_nodes WHERE key_id = ? ORDER BY ms, seq LIMIT 2`,
			args(m.k.ID), scan)
	} else {
		tx.query(`SELECT ms, seq, last_ms, last_seq FROM stream_nodes WHERE key_id = ? AND (ms, seq) > (?, ?)
			ORDER BY ms, seq LIMIT 2`, args(m.k.ID, after.sqlMS(), after.sqlSeq()), scan)
	}
	if rowsSeen == 0 || tx.err != nil {
		return n, false
	}
	tx.markTail(m, &n)
	return n, true
}

// markTail fills in what the tail node's row does not hold.
func (tx *Tx) markTail(m *streamMeta, n *streamNode) {
	if m.tail != nil && n.first == m.tail.first {
		n.isTail, n.last, n.bounded = true, m.tail.last, false
	}
}

// nodeOf returns the node holding entry id.
func (tx *Tx) nodeOf(m *streamMeta, id streamID) (streamNode, bool) {
	var n streamNode
	found := tx.queryRow(`SELECT ms, seq, last_ms, last_seq FROM stream_nodes WHERE key_id = ? AND (ms, seq) <= (?, ?)
		ORDER BY ms DESC, seq DESC LIMIT 1`, args(m.k.ID, id.sqlMS(), id.sqlSeq()), func(r *rows) {
		n.first, n.last = scanStreamID(r, 0), scanStreamID(r, 2)
	})
	if !found {
		return n, false
	}
	tx.markTail(m, &n)
	if !n.isTail {
		n.bounded = tx.queryRow(`SELECT ms, seq FROM stream_nodes WHERE key_id = ? AND (ms, seq) > (?, ?) ORDER BY ms, seq LIMIT 1`,
			args(m.k.ID, n.first.sqlMS(), n.first.sqlSeq()), func(r *rows) { n.end = scanStreamID(r, 0) })
	}
	return n, true
}

// nodeLive counts the live entries of node n.
func (tx *Tx) nodeLive(m *streamMeta, n streamNode) int64 {
	if n.isTail {
		return m.tail.live
	}
	return tx.countEntries(m.k.ID, n.first, n.end, n.bounded)
}

// countEntries counts the entries from first to end (exclusive), or to the
// end of the stream when bounded is false.
func (tx *Tx) countEntries(keyID int64, first, end streamID, bounded bool) int64 {
	if bounded {
		return tx.queryInt(`SELECT count(*) FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?) AND (ms, seq) < (?, ?)`,
			0, keyID, first.sqlMS(), first.sqlSeq(), end.sqlMS(), end.sqlSeq())
	}
	return tx.queryInt(`SELECT count(*) FROM stream_entries WHERE key_id = ? AND (ms, seq) >= (?, ?)`,
		0, keyID, first.sqlMS(), first.sqlSeq())
}

// entryDeleted accounts for the deletion (XDEL) of entry id: a node left
// without live entries is removed, as Redis frees an empty listpack.
func (tx *Tx) entryDeleted(m *streamMeta, id streamID) {
	n, ok := tx.nodeOf(m, id)
	if !ok {
		return
	}
	if n.isTail {
		m.tail.live--
		if m.tail.live > 0 {
			return
		}
	} else if tx.nodeLive(m, n) > 0 {
		return
	}
	tx.removeNode(m, n)
}

// removeNode deletes node n's row (its entries are already gone). When it
// was the tail, the node before it, if any, becomes the tail again: Redis
// appends to the last node of the tree, whichever it is.
func (tx *Tx) removeNode(m *streamMeta, n streamNode) {
	tx.exec(`DELETE FROM stream_nodes WHERE key_id = ? AND ms = ? AND seq = ?`, m.k.ID, n.first.sqlMS(), n.first.sqlSeq())
	if !n.isTail {
		return
	}
	m.tail = nil
	var t tailNode
	found := tx.queryRow(`SELECT ms, seq, last_ms, last_seq, appended, bytes, fields FROM stream_nodes WHERE key_id = ?
		ORDER BY ms DESC, seq DESC LIMIT 1`, args(m.k.ID), func(r *rows) {
		t.first, t.last = scanStreamID(r, 0), scanStreamID(r, 2)
		t.appended, t.bytes, t.fields = r.int(4), r.int(5), r.bytes(6)
	})
	if !found {
		return
	}
	t.live = tx.countEntries(m.k.ID, t.first, streamID{}, false)
	m.tail = &t
}

// raxNodes is the number of nodes of the radix tree Redis builds over the
// 16-byte big-endian keys of the listpack nodes (XINFO radix-tree-nodes):
// a compressed node per shared run of bytes, a branching node where keys
// differ, and a node marking each key's end.
func (tx *Tx) raxNodes(keyID int64) (keys, nodes int64) {
	var ks [][16]byte
	tx.query(`SELECT ms, seq FROM stream_nodes WHERE key_id = ? ORDER BY ms, seq`, args(keyID), func(r *rows) bool {
		id := scanStreamID(r, 0)
		var k [16]byte
		binary.BigEndian.PutUint64(k[:8], id.ms)
		binary.BigEndian.PutUint64(k[8:], id.seq)
		ks = append(ks, k)
		return true
	})
	if len(ks) == 0 {
		return 0, 1 // the empty root
	}
	return int64(len(ks)), raxCount(ks, 0)
}

// raxCount counts the nodes below depth for sorted keys sharing their first
// depth bytes.
func raxCount(ks [][16]byte, depth int) int64 {
	if len(ks) == 1 {
		if depth < 16 {
			return 2 // the compressed rest, the key's node
		}
		return 1
	}
	first, last := ks[0], ks[len(ks)-1]
	l := depth
	for l < 16 && first[l] == last[l] {
		l++
	}
	var n int64
	if l > depth {
		n++ // compressed common prefix
	}
	n++ // the branching node
	for i := 0; i < len(ks); {
		j := i
		for j < len(ks) && ks[j][l] == ks[i][l] {
			j++
		}
		n += raxCount(ks[i:j], l+1)
		i = j
	}
	return n
}
