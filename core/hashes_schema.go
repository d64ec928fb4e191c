package core

// The hash table's migrations after the first: migration 1 created hashes
// as a rowid table (id the HSCAN cursor and the insertion order) with a
// unique (key_id, field) index, migration 2 (in hashes.go) the (key_id, id)
// index.
func init() {
	// Fields keyed by (key_id, field) with the value in the same B-tree:
	// HGET and overwriting a field touch one B-tree instead of the index
	// and then the table, and a new field two instead of three. id stays
	// the insertion order (HGETALL order, as Redis' small hashes keep it)
	// and the HSCAN cursor: per key it is the largest id plus one, so the
	// existing ids, global rowids until now, carry over as they are.
	addMigration(10, `
DROP TRIGGER keys_delete_hash;
CREATE TABLE hashes_v10(
	key_id INTEGER NOT NULL,
	field  BLOB    NOT NULL,
	id     INTEGER NOT NULL,
	value  BLOB    NOT NULL,
	PRIMARY KEY(key_id, field)
) WITHOUT ROWID;
INSERT INTO hashes_v10(key_id, field, id, value) SELECT key_id, field, id, value FROM hashes ORDER BY 1, 2;
DROP TABLE hashes;
ALTER TABLE hashes_v10 RENAME TO hashes;
CREATE INDEX hashes_key_id ON hashes(key_id, id);
CREATE TRIGGER keys_delete_hash AFTER DELETE ON keys WHEN old.type = 5
BEGIN DELETE FROM hashes WHERE key_id = old.id; END;
`)
}
