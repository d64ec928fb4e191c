package core

import (
	"fmt"
	"strings"
)

// Check verifies the database file: SQLite's own integrity check, and the
// invariants redlite keeps on top of it. The crash, concurrency and fuzz
// tests call it after every run; it is what "the file is consistent" means.
//
//   - PRAGMA integrity_check answers ok;
//   - keyspace_counts holds each database's number of keys;
//   - every collection key's count equals its number of elements, and no
//     list, set, sorted set or hash is empty (Redis never keeps one);
//   - no element belongs to a missing key or to a key of another type;
//   - every set and sorted set member's h is its hash under the file's
//     salt (the scans and random draws rely on it);
//   - no two fields of a hash share an id (its order and HSCAN cursor);
//   - every string key has a value;
//   - every stream has its metadata row, and no stream row (metadata,
//     nodes, groups, consumers, pending entries) outlives its key.
//
// It runs holding the writer, so it sees one committed state.
func (db *DB) Check() error {
	if !db.enter() {
		return ErrClosed
	}
	defer db.leave()
	return db.w.exclusive(checkConn)
}

// collectionTables names the table holding each collection type's
// elements. A table a build does not have yet (a type still being added)
// is skipped by checkConn, which looks the tables up in sqlite_master.
var collectionTables = []struct {
	typ   int64
	table string
	empty bool // a key of this type may have no elements (streams)
}{
	{TypeList, "lists", false},
	{TypeSet, "sets", false},
	{TypeZSet, "zsets", false},
	{TypeHash, "hashes", false},
	{TypeStream, "stream_entries", true},
}

func checkConn(c *sqlConn) error {
	var problems []string
	add := func(format string, a ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, a...))
		}
	}
	r, err := c.query(`PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	for r.next() {
		if s := string(r.bytes(0)); s != "ok" {
			add("integrity_check: %s", s)
		}
	}
	if err := r.close(); err != nil {
		return err
	}

	queries := []struct{ what, sql string }{
		{"keyspace_counts differs from the keys table",
			`SELECT db, n, stored FROM (SELECT k.db AS db, count(*) AS n, coalesce(c.keys, 0) AS stored
				FROM keys k LEFT JOIN keyspace_counts c ON c.db = k.db GROUP BY k.db)
			WHERE n != stored
			UNION ALL SELECT db, 0, keys FROM keyspace_counts
				WHERE keys != 0 AND db NOT IN (SELECT DISTINCT db FROM keys)`},
		{"string keys without a value", `SELECT id, 0, 0 FROM keys WHERE type = 1 AND value IS NULL`},
		{"unknown key types", `SELECT id, type, 0 FROM keys WHERE type NOT BETWEEN 1 AND 6`},
	}
	if tableExists(c, "streams") {
		queries = append(queries, struct{ what, sql string }{"stream keys without metadata",
			`SELECT id, 0, 0 FROM keys WHERE type = 6 AND id NOT IN (SELECT key_id FROM streams)`})
		for _, t := range []string{"streams", "stream_nodes", "stream_groups", "stream_consumers", "stream_pel"} {
			queries = append(queries, struct{ what, sql string }{t + ": rows of a missing key or a key of another type",
				fmt.Sprintf(`SELECT e.key_id, count(*), 0 FROM %s e LEFT JOIN keys k ON k.id = e.key_id
					WHERE k.id IS NULL OR k.type != 6 GROUP BY e.key_id`, t)})
		}
	}
	for _, ct := range collectionTables {
		if !tableExists(c, ct.table) {
			continue
		}
		queries = append(queries, struct{ what, sql string }{
			ct.table + ": count differs from the elements",
			fmt.Sprintf(`SELECT k.id, k.count, (SELECT count(*) FROM %[1]s e WHERE e.key_id = k.id) AS n
				FROM keys k WHERE k.type = %[2]d AND k.count != n`, ct.table, ct.typ),
		}, struct{ what, sql string }{
			ct.table + ": elements of a missing key or a key of another type",
			fmt.Sprintf(`SELECT e.key_id, count(*), 0 FROM %[1]s e LEFT JOIN keys k ON k.id = e.key_id
				WHERE k.id IS NULL OR k.type != %[2]d GROUP BY e.key_id`, ct.table, ct.typ),
		})
		if !ct.empty {
			queries = append(queries, struct{ what, sql string }{
				ct.table + ": empty collections",
				fmt.Sprintf(`SELECT id, count, 0 FROM keys WHERE type = %d AND count <= 0`, ct.typ),
			})
		}
	}
	for _, t := range []string{"sets", "zsets"} {
		queries = append(queries, struct{ what, sql string }{t + ": members whose h is not their hash",
			`SELECT key_id, h, 0 FROM ` + t + ` WHERE h != redlite_member_hash(` + sqlMemberHashSalt + `, member)`})
	}
	queries = append(queries, struct{ what, sql string }{"hashes: fields sharing an id",
		`SELECT key_id, id, count(*) FROM hashes GROUP BY key_id, id HAVING count(*) > 1`})
	for _, q := range queries {
		r, err := c.query(q.sql)
		if err != nil {
			return fmt.Errorf("check %q: %w", q.what, err)
		}
		for r.next() {
			add("%s (%d, %d, %d)", q.what, r.int(0), r.int(1), r.int(2))
		}
		if err := r.close(); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("redlite: inconsistent database: %s", strings.Join(problems, "; "))
	}
	return nil
}

func tableExists(c *sqlConn, name string) bool {
	r, err := c.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, name)
	if err != nil {
		return false
	}
	found := r.next()
	_ = r.close()
	return found
}
