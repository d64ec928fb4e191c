package core

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Member hashes. Sets and sorted sets key their rows by (key_id, h, member),
// where h is a 63-bit hash of the member: SSCAN and ZSCAN page by h, and
// random draws pick a random h range. The hash is SipHash-2-4 keyed with a
// random 128-bit salt drawn once per file (meta 'member_hash_salt', written
// by the migration that introduced h): a keyed hash, unlike a plain one
// with the salt prepended (FNV-1a), is what the SipHash design makes
// collisions impractical to craft for, so nobody can pile members onto one
// h to make a scan page or a random draw expensive. Collisions stay
// correct either way: member is part of the key.

// memberHashKey is the SipHash key: the salt as two little-endian words.
type memberHashKey struct{ k0, k1 uint64 }

func newMemberHashKey(salt []byte) (memberHashKey, error) {
	if len(salt) != 16 {
		return memberHashKey{}, fmt.Errorf("redlite: member hash salt is %d bytes, want 16", len(salt))
	}
	return memberHashKey{binary.LittleEndian.Uint64(salt), binary.LittleEndian.Uint64(salt[8:])}, nil
}

// hash is the member's h: SipHash-2-4 shifted right by one, so it is a
// non-negative SQLite integer.
func (k memberHashKey) hash(member []byte) int64 {
	return int64(sipHash24(k.k0, k.k1, member) >> 1)
}

// sipHash24 is SipHash-2-4 as specified by Aumasson and Bernstein (2012).
func sipHash24(k0, k1 uint64, m []byte) uint64 {
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13)
		v1 ^= v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17)
		v1 ^= v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	compress := func(w uint64) {
		v3 ^= w
		round()
		round()
		v0 ^= w
	}
	n := len(m)
	for len(m) >= 8 {
		compress(binary.LittleEndian.Uint64(m))
		m = m[8:]
	}
	// The last word: the remaining bytes, and the length mod 256 in the
	// top byte.
	last := uint64(n) << 56
	for i, b := range m {
		last |= uint64(b) << (8 * i)
	}
	compress(last)
	v2 ^= 0xff
	round()
	round()
	round()
	round()
	return v0 ^ v1 ^ v2 ^ v3
}

// sqlMemberHash is the SQL function redlite_member_hash(salt, member): the
// migrations that add h compute it for existing rows with it, and Check
// verifies stored hashes with it. Only the writer connection has it; no
// table, index or trigger refers to it, so the file stays readable by any
// SQLite.
func sqlMemberHash(salt, member []byte) (int64, error) {
	k, err := newMemberHashKey(salt)
	if err != nil {
		return 0, err
	}
	return k.hash(member), nil
}

func registerMemberHash(c *sqlConn) error {
	return c.c.RegisterFunc("redlite_member_hash", sqlMemberHash, true)
}

// sqlMemberHashSalt is the salt as SQL: the argument the migrations and
// Check pass to redlite_member_hash.
const sqlMemberHashSalt = `(SELECT value FROM meta WHERE name = 'member_hash_salt')`

// loadMemberHashKey reads the file's salt (after migrate, which creates it).
func loadMemberHashKey(c *sqlConn) (memberHashKey, error) {
	r, err := c.query(`SELECT value FROM meta WHERE name = 'member_hash_salt'`)
	if err != nil {
		return memberHashKey{}, err
	}
	var salt []byte
	if r.next() {
		salt = r.bytes(0)
	}
	if err := r.close(); err != nil {
		return memberHashKey{}, err
	}
	return newMemberHashKey(salt)
}

// memberHash is h for a member of a set or sorted set of this database.
func (tx *Tx) memberHash(member []byte) int64 { return tx.store.mhash.hash(member) }
