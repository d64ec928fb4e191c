// Command purego measures GET and SET through core.Session.Do, the pure Go
// path the C ABI is compared with (scripts/bench-capi.sh). It prints one
// line per operation, "name calls_per_second", like bench/capi/bench_capi.c.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/redlite/redlite/core"
)

const nkeys = 1000

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: purego PATH SECONDS")
		os.Exit(2)
	}
	secs, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	db, err := core.Open(core.Options{Path: os.Args[1]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	s := db.NewSession()
	defer s.Close()

	keys := make([][]byte, nkeys)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	val := []byte("0123456789abcdef0123456789abcdef")
	get, set := []byte("GET"), []byte("SET")
	for _, k := range keys {
		must(s.Do([][]byte{set, k, val}).IsError())
	}
	measure("get", secs, func(k []byte) bool { return s.Do([][]byte{get, k}).IsError() }, keys)
	measure("set", secs, func(k []byte) bool { return s.Do([][]byte{set, k, val}).IsError() }, keys)
}

// measure runs op in batches of 1000 until secs have passed.
func measure(name string, secs float64, op func(k []byte) bool, keys [][]byte) {
	n := 0
	start := time.Now()
	var elapsed time.Duration
	for {
		for i := 0; i < 1000; i++ {
			must(op(keys[n%nkeys]))
			n++
		}
		if elapsed = time.Since(start); elapsed.Seconds() >= secs {
			break
		}
	}
	fmt.Printf("%s %.0f\n", name, float64(n)/elapsed.Seconds())
}

func must(failed bool) {
	if failed {
		fmt.Fprintln(os.Stderr, "command failed")
		os.Exit(1)
	}
}
