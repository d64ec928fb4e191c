package core

import (
	"fmt"
)

// Value types as stored in keys.type. The numbers are part of the file format.
const (
	TypeString = 1
	TypeList   = 2
	TypeSet    = 3
	TypeZSet   = 4
	TypeHash   = 5
	TypeStream = 6
)

// typeNames are the names TYPE and SCAN TYPE use.
var typeNames = map[int64]string{
	TypeString: "string", TypeList: "list", TypeSet: "set",
	TypeZSet: "zset", TypeHash: "hash", TypeStream: "stream",
}

// migrations upgrade the file format one version at a time: migrations[v]
// takes a file from version v-1 to v. Each data type's file registers its
// own with addMigration. Never edit a migration that has shipped: add one.
var migrations = map[int]string{}

func addMigration(version int, sql string) {
	if _, dup := migrations[version]; dup {
		panic(fmt.Sprintf("redlite: migration %d registered twice", version))
	}
	migrations[version] = sql
}

// SchemaVersion is the file format version this build writes.
func SchemaVersion() int {
	v := 0
	for v+1 <= len(migrations) {
		if _, ok := migrations[v+1]; !ok {
			panic(fmt.Sprintf("redlite: migration %d is missing", v+1))
		}
		v++
	}
	return v
}

func init() {
	// 1: the keyspace and the first data types.
	addMigration(1, `
CREATE TABLE keys(
	id        INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: part of the WATCH token
	db        INTEGER NOT NULL,
	key       BLOB    NOT NULL,
	type      INTEGER NOT NULL,
	expire_at INTEGER,                           -- absolute unix ms, NULL = persistent
	version   INTEGER NOT NULL,                  -- bumped on every write to the key
	count     INTEGER NOT NULL DEFAULT 0,        -- element count of a collection
	value     BLOB                               -- a string's value, stored inline
);
CREATE UNIQUE INDEX keys_db_key ON keys(db, key);
CREATE INDEX keys_expire ON keys(expire_at) WHERE expire_at IS NOT NULL;

CREATE TABLE hashes(
	id     INTEGER PRIMARY KEY, -- HSCAN cursor
	key_id INTEGER NOT NULL,
	field  BLOB    NOT NULL,
	value  BLOB    NOT NULL
);
CREATE UNIQUE INDEX hashes_key_field ON hashes(key_id, field);

CREATE TABLE sets(
	id     INTEGER PRIMARY KEY, -- SSCAN cursor
	key_id INTEGER NOT NULL,
	member BLOB    NOT NULL
);
CREATE UNIQUE INDEX sets_key_member ON sets(key_id, member);

CREATE TABLE zsets(
	id     INTEGER PRIMARY KEY, -- ZSCAN cursor
	key_id INTEGER NOT NULL,
	member BLOB    NOT NULL,
	score  REAL    NOT NULL
);
CREATE UNIQUE INDEX zsets_key_member ON zsets(key_id, member);
CREATE INDEX zsets_key_score ON zsets(key_id, score, member);

CREATE TABLE lists(
	key_id INTEGER NOT NULL,
	pos    INTEGER NOT NULL, -- sparse, ordered positions: pushes never renumber
	value  BLOB    NOT NULL,
	PRIMARY KEY(key_id, pos)
) WITHOUT ROWID;

-- Key counts per database, kept by triggers so DBSIZE is O(1) whoever
-- writes the file.
CREATE TABLE keyspace_counts(db INTEGER PRIMARY KEY, keys INTEGER NOT NULL);
CREATE TRIGGER keys_count_insert AFTER INSERT ON keys
BEGIN INSERT INTO keyspace_counts(db, keys) VALUES(new.db, 1) ON CONFLICT(db) DO UPDATE SET keys = keys + 1; END;
CREATE TRIGGER keys_count_delete AFTER DELETE ON keys
BEGIN UPDATE keyspace_counts SET keys = keys - 1 WHERE db = old.db; END;
CREATE TRIGGER keys_count_move AFTER UPDATE OF db ON keys WHEN old.db != new.db
BEGIN
	UPDATE keyspace_counts SET keys = keys - 1 WHERE db = old.db;
	INSERT INTO keyspace_counts(db, keys) VALUES(new.db, 1) ON CONFLICT(db) DO UPDATE SET keys = keys + 1;
END;

-- Deleting a key deletes its elements, whoever deletes it (DEL, expiry,
-- overwrite, FLUSHDB, another process): the contents can never be orphaned.
CREATE TRIGGER keys_delete_hash AFTER DELETE ON keys WHEN old.type = 5
BEGIN DELETE FROM hashes WHERE key_id = old.id; END;
CREATE TRIGGER keys_delete_set AFTER DELETE ON keys WHEN old.type = 3
BEGIN DELETE FROM sets WHERE key_id = old.id; END;
CREATE TRIGGER keys_delete_zset AFTER DELETE ON keys WHEN old.type = 4
BEGIN DELETE FROM zsets WHERE key_id = old.id; END;
CREATE TRIGGER keys_delete_list AFTER DELETE ON keys WHEN old.type = 2
BEGIN DELETE FROM lists WHERE key_id = old.id; END;
`)
}

// migrate brings the file to SchemaVersion inside one write transaction, so
// several processes opening a new file at once apply each step exactly once.
func migrate(c *sqlConn) error {
	if err := c.execScript(`BEGIN IMMEDIATE`); err != nil {
		return err
	}
	err := func() error {
		if err := c.execScript(`CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID`); err != nil {
			return err
		}
		r, err := c.query(`SELECT value FROM meta WHERE name = 'schema_version'`)
		if err != nil {
			return err
		}
		current := int64(0)
		if r.next() {
			current = r.int(0)
		}
		if err := r.close(); err != nil {
			return err
		}
		target := int64(SchemaVersion())
		if current > target {
			return fmt.Errorf("redlite: file format version %d is newer than this build supports (%d); upgrade redlite", current, target)
		}
		for v := current + 1; v <= target; v++ {
			if err := c.execScript(migrations[int(v)]); err != nil {
				return fmt.Errorf("redlite: migration to version %d: %w", v, err)
			}
		}
		if current != target {
			_, _, err = c.exec(`INSERT INTO meta(name, value) VALUES('schema_version', ?)
				ON CONFLICT(name) DO UPDATE SET value = excluded.value`, target)
		}
		return err
	}()
	if err != nil {
		_ = c.execScript(`ROLLBACK`)
		return err
	}
	return c.execScript(`COMMIT`)
}
