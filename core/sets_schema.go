package core

// The set table's migrations after the first: migration 1 created sets as
// a rowid table with a unique (key_id, member) index, migration 3 (in
// sets.go) added the (key_id, id) index SSCAN paged by.
func init() {
	// A set is one B-tree keyed by (key_id, h, member), h the member's
	// keyed hash (memberhash.go): adding a member writes one B-tree
	// instead of three (the rowid table and both indexes), membership is
	// one seek, and h orders SSCAN and random draws. The salt for h is
	// drawn here, once per file.
	addMigration(8, `
INSERT INTO meta(name, value) VALUES('member_hash_salt', randomblob(16));
DROP TRIGGER keys_delete_set;
CREATE TABLE sets_v8(
	key_id INTEGER NOT NULL,
	h      INTEGER NOT NULL, -- redlite_member_hash(salt, member)
	member BLOB    NOT NULL,
	PRIMARY KEY(key_id, h, member)
) WITHOUT ROWID;
INSERT INTO sets_v8(key_id, h, member)
	SELECT key_id, redlite_member_hash(`+sqlMemberHashSalt+`, member), member FROM sets ORDER BY 1, 2, 3;
DROP TABLE sets;
ALTER TABLE sets_v8 RENAME TO sets;
CREATE TRIGGER keys_delete_set AFTER DELETE ON keys WHEN old.type = 3
BEGIN DELETE FROM sets WHERE key_id = old.id; END;
`)
}
