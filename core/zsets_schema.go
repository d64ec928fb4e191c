package core

// The sorted set tables' migrations. Migration 1 created zsets as a rowid
// table with a unique (key_id, member) index.
func init() {
	// ZSCAN walks a sorted set's rows in id order.
	addMigration(5, `CREATE INDEX zsets_key_id ON zsets(key_id, id);`)

	// The members themselves are the primary key: ZSCORE and ZADD find a
	// member's score in one B-tree instead of an index and then the table,
	// which at a million members is most of their cost. id stays the ZSCAN
	// cursor: unique within the key and fixed for as long as the member
	// stays.
	addMigration(7, `
DROP TRIGGER keys_delete_zset;
CREATE TABLE zsets_v7(
	key_id INTEGER NOT NULL,
	member BLOB    NOT NULL,
	score  REAL    NOT NULL,
	id     INTEGER NOT NULL,
	PRIMARY KEY(key_id, member)
) WITHOUT ROWID;
INSERT INTO zsets_v7(key_id, member, score, id) SELECT key_id, member, score, id FROM zsets;
DROP TABLE zsets;
ALTER TABLE zsets_v7 RENAME TO zsets;
CREATE INDEX zsets_key_score ON zsets(key_id, score, member);
CREATE INDEX zsets_key_id ON zsets(key_id, id);
CREATE TRIGGER keys_delete_zset AFTER DELETE ON keys WHEN old.type = 4
BEGIN DELETE FROM zsets WHERE key_id = old.id; END;
`)
}

func init() {
	// Members keyed by (key_id, h, member) as sets are (migration 8 drew
	// the salt): h replaces id as the ZSCAN cursor and gives random draws
	// a seek, so the (key_id, id) index goes and a new member writes two
	// B-trees (the rows and the score index) instead of three.
	addMigration(9, `
DROP TRIGGER keys_delete_zset;
CREATE TABLE zsets_v9(
	key_id INTEGER NOT NULL,
	h      INTEGER NOT NULL, -- redlite_member_hash(salt, member)
	member BLOB    NOT NULL,
	score  REAL    NOT NULL,
	PRIMARY KEY(key_id, h, member)
) WITHOUT ROWID;
INSERT INTO zsets_v9(key_id, h, member, score)
	SELECT key_id, redlite_member_hash(`+sqlMemberHashSalt+`, member), member, score FROM zsets ORDER BY 1, 2, 3;
DROP TABLE zsets;
ALTER TABLE zsets_v9 RENAME TO zsets;
CREATE INDEX zsets_key_score ON zsets(key_id, score, member);
CREATE TRIGGER keys_delete_zset AFTER DELETE ON keys WHEN old.type = 4
BEGIN DELETE FROM zsets WHERE key_id = old.id; END;
`)
}
