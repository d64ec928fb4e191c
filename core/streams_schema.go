package core

// Stream storage. A stream is a keys row (type 6, count = its length) plus:
//
//   - streams: one row of metadata per stream: the last ID handed out, the
//     entries ever added and the largest deleted ID, which survive XDEL and
//     XTRIM so an ID is never issued twice; and the open tail node of the
//     radix tree Redis would hold (see streams_nodes.go).
//   - stream_entries: the entries, ordered by ID, fields and values encoded
//     together in one BLOB.
//   - stream_nodes: the listpack nodes Redis would have, so approximate
//     trimming (~) and XINFO answer as Redis does.
//   - stream_groups, stream_consumers, stream_pel: consumer groups, their
//     consumers and the pending entries lists.
//
// IDs are unsigned 64-bit pairs; every ms/seq column holds the value offset
// by 2^63 (sqlU64), so that SQLite's signed order is the IDs' order.

func init() {
	addMigration(6, `
CREATE TABLE streams(
	key_id        INTEGER PRIMARY KEY,
	last_ms       INTEGER NOT NULL, -- the last ID generated (XADD, XSETID)
	last_seq      INTEGER NOT NULL,
	max_del_ms    INTEGER NOT NULL, -- the largest ID removed by XDEL
	max_del_seq   INTEGER NOT NULL,
	entries_added INTEGER NOT NULL, -- every entry ever added
	-- The tail node: NULL tail_ms when the stream has no node.
	tail_ms       INTEGER,
	tail_seq      INTEGER,
	tail_last_ms  INTEGER,          -- the last entry appended to it
	tail_last_seq INTEGER,
	tail_appended INTEGER,          -- entries appended (live and deleted)
	tail_live     INTEGER,          -- entries not deleted
	tail_bytes    INTEGER,          -- listpack size without the two counters
	tail_fields   BLOB              -- the master entry's fields
);

CREATE TABLE stream_entries(
	key_id INTEGER NOT NULL,
	ms     INTEGER NOT NULL,
	seq    INTEGER NOT NULL,
	fields BLOB    NOT NULL, -- field, value, field, value... each a uvarint length and bytes
	PRIMARY KEY(key_id, ms, seq)
) WITHOUT ROWID;

-- Radix tree nodes, keyed by their first (master) ID. The tail node's
-- columns other than its ID are in streams until it is closed.
CREATE TABLE stream_nodes(
	key_id   INTEGER NOT NULL,
	ms       INTEGER NOT NULL,
	seq      INTEGER NOT NULL,
	last_ms  INTEGER NOT NULL,
	last_seq INTEGER NOT NULL,
	appended INTEGER NOT NULL,
	bytes    INTEGER NOT NULL,
	fields   BLOB    NOT NULL,
	PRIMARY KEY(key_id, ms, seq)
) WITHOUT ROWID;

CREATE TABLE stream_groups(
	key_id       INTEGER NOT NULL,
	name         BLOB    NOT NULL,
	last_ms      INTEGER NOT NULL, -- last delivered ID
	last_seq     INTEGER NOT NULL,
	entries_read INTEGER,          -- NULL when unknown
	PRIMARY KEY(key_id, name)
) WITHOUT ROWID;

CREATE TABLE stream_consumers(
	key_id    INTEGER NOT NULL,
	grp       BLOB    NOT NULL,
	name      BLOB    NOT NULL,
	seen_time INTEGER NOT NULL, -- unix ms of the last read or claim
	PRIMARY KEY(key_id, grp, name)
) WITHOUT ROWID;

CREATE TABLE stream_pel(
	key_id         INTEGER NOT NULL,
	grp            BLOB    NOT NULL,
	ms             INTEGER NOT NULL,
	seq            INTEGER NOT NULL,
	consumer       BLOB    NOT NULL,
	delivery_time  INTEGER NOT NULL, -- unix ms
	delivery_count INTEGER NOT NULL,
	PRIMARY KEY(key_id, grp, ms, seq)
) WITHOUT ROWID;
CREATE INDEX stream_pel_consumer ON stream_pel(key_id, grp, consumer, ms, seq);

CREATE TRIGGER keys_delete_stream AFTER DELETE ON keys WHEN old.type = 6
BEGIN
	DELETE FROM streams WHERE key_id = old.id;
	DELETE FROM stream_entries WHERE key_id = old.id;
	DELETE FROM stream_nodes WHERE key_id = old.id;
	DELETE FROM stream_groups WHERE key_id = old.id;
	DELETE FROM stream_consumers WHERE key_id = old.id;
	DELETE FROM stream_pel WHERE key_id = old.id;
END;
`)

	registerType(TypeStream, &typeOps{
		copyContents: copyStream,
		encoding:     func(*Tx, keyInfo) string { return "stream" },
	})
}

// copyStream duplicates every part of a stream for COPY.
func copyStream(tx *Tx, from, to int64) {
	tx.exec(`INSERT INTO streams SELECT ?, last_ms, last_seq, max_del_ms, max_del_seq, entries_added,
		tail_ms, tail_seq, tail_last_ms, tail_last_seq, tail_appended, tail_live, tail_bytes, tail_fields
		FROM streams WHERE key_id = ?`, to, from)
	tx.exec(`INSERT INTO stream_entries SELECT ?, ms, seq, fields FROM stream_entries WHERE key_id = ?`, to, from)
	tx.exec(`INSERT INTO stream_nodes SELECT ?, ms, seq, last_ms, last_seq, appended, bytes, fields
		FROM stream_nodes WHERE key_id = ?`, to, from)
	tx.exec(`INSERT INTO stream_groups SELECT ?, name, last_ms, last_seq, entries_read FROM stream_groups WHERE key_id = ?`, to, from)
	tx.exec(`INSERT INTO stream_consumers SELECT ?, grp, name, seen_time FROM stream_consumers WHERE key_id = ?`, to, from)
	tx.exec(`INSERT INTO stream_pel SELECT ?, grp, ms, seq, consumer, delivery_time, delivery_count
		FROM stream_pel WHERE key_id = ?`, to, from)
}
