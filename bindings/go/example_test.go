package redlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	redlite "github.com/redlite/redlite/bindings/go"
)

// tempPath returns a database path in a fresh temporary directory.
func tempPath() (path string, cleanup func()) {
	dir, err := os.MkdirTemp("", "redlite-example")
	if err != nil {
		panic(err)
	}
	return filepath.Join(dir, "app.db"), func() { os.RemoveAll(dir) }
}

// Open a database file, set a key with an expiry and read it back.
func Example() {
	path, cleanup := tempPath()
	defer cleanup()
	ctx := context.Background()

	db, err := redlite.Open(path)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	if err := db.Set(ctx, "greeting", "hello", redlite.EX(time.Hour)); err != nil {
		panic(err)
	}
	v, err := db.Get(ctx, "greeting")
	if err != nil {
		panic(err)
	}
	fmt.Println(v)

	_, err = db.Get(ctx, "missing")
	fmt.Println(errors.Is(err, redlite.Nil))
	// Output:
	// hello
	// true
}

// Move money between two accounts: both writes commit together or not at
// all. Returning an error rolls the transaction back.
func ExampleDB_Tx() {
	ctx := context.Background()
	db, err := redlite.Open(redlite.Memory)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	_ = db.MSet(ctx, "alice", 100, "bob", 0)

	transfer := func(from, to string, amount int64) error {
		return db.Tx(ctx, func(tx *redlite.Tx) error {
			left, err := tx.DecrBy(ctx, from, amount)
			if err != nil {
				return err
			}
			if left < 0 {
				return fmt.Errorf("%s cannot pay %d", from, amount)
			}
			_, err = tx.IncrBy(ctx, to, amount)
			return err
		})
	}
	fmt.Println(transfer("alice", "bob", 30))
	fmt.Println(transfer("alice", "bob", 500))
	balances, _ := db.MGet(ctx, "alice", "bob")
	fmt.Println(balances)
	// Output:
	// <nil>
	// alice cannot pay 500
	// [70 30]
}

// An optimistic read-modify-write, as with go-redis: retry when another
// client changed the watched key first.
func ExampleDB_Watch() {
	ctx := context.Background()
	db, err := redlite.Open(redlite.Memory)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	double := func(key string) error {
		for {
			err := db.Watch(ctx, func(tx *redlite.Tx) error {
				v, err := tx.Get(ctx, key)
				if err != nil && !errors.Is(err, redlite.Nil) {
					return err
				}
				n, _ := strconv.Atoi(v)
				return tx.TxPipelined(ctx, func(pipe *redlite.Tx) error {
					return pipe.Set(ctx, key, 2*n)
				})
			}, key)
			if !errors.Is(err, redlite.TxFailedErr) {
				return err
			}
		}
	}
	_ = db.Set(ctx, "n", 21)
	fmt.Println(double("n"))
	v, _ := db.Get(ctx, "n")
	fmt.Println(v)
	// Output:
	// <nil>
	// 42
}
