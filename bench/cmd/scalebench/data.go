package main

import (
	"fmt"
	"sync"
	"time"
)

// The data set: key i is "key:%08d"; even keys are strings with a 32-byte
// value, odd keys hashes with two fields ("a", "b") of 16 bytes each. Values
// are pseudo-random letters and digits derived from i, so every run loads
// the same bytes and Redis' RDB cannot shrink them with LZF compression
// (real values are rarely runs of one byte).

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func keyName(dst []byte, i int) []byte {
	return fmt.Appendf(dst[:0], "key:%08d", i)
}

// fill writes len(dst) pseudo-random characters seeded by seed.
func fill(dst []byte, seed uint64) {
	x := seed
	for j := range dst {
		if j%8 == 0 {
			x = splitmix(x)
		}
		dst[j] = alphabet[x%uint64(len(alphabet))]
		x /= uint64(len(alphabet))
	}
}

// order maps the n-th key loaded to a key index. "seq" loads keys in order
// (an append to every index: a bulk import); "random" in a fixed
// pseudo-random permutation (an insert anywhere in the key index, as keys
// written by an application arrive).
func order(kind string, n int) func(int) int {
	if kind == "seq" {
		return func(j int) int { return j }
	}
	// j -> (a*j + c) mod n is a permutation when gcd(a, n) = 1.
	a := 2654435761 % n
	for gcd(a, n) != 1 {
		a++
	}
	return func(j int) int { return int((uint64(a)*uint64(j) + 12345) % uint64(n)) }
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// load writes keys 0..n-1 through conns pipelined connections, pipeline
// commands per round trip, and returns the wall time.
func load(port, n, conns, pipeline int, kind string) (time.Duration, error) {
	return loadWatching(port, n, conns, pipeline, kind, "", nil)
}

// loadWatching is load that also samples the size of the file at watch
// (redlite's WAL) while it runs and keeps the largest in *peak.
func loadWatching(port, n, conns, pipeline int, kind, watch string, peak *int64) (time.Duration, error) {
	if watch != "" {
		stop := make(chan struct{})
		done := make(chan struct{})
		defer func() { close(stop); <-done }()
		go func() {
			defer close(done)
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				if sz, err := fileSize(watch); err == nil && sz > *peak {
					*peak = sz
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
	}
	perm := order(kind, n)
	chunks := (n + pipeline - 1) / pipeline
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	start := time.Now()
	for w := 0; w < conns; w++ {
		c, err := dial(port)
		if err != nil {
			return 0, err
		}
		wg.Add(1)
		go func(w int, c *client) {
			defer wg.Done()
			defer c.close()
			var key []byte
			sval := make([]byte, 32)
			ha, hb := make([]byte, 16), make([]byte, 16)
			set, hset, fa, fb := []byte("SET"), []byte("HSET"), []byte("a"), []byte("b")
			for ch := w; ch < chunks; ch += conns {
				lo, hi := ch*pipeline, min((ch+1)*pipeline, n)
				for j := lo; j < hi; j++ {
					i := perm(j)
					key = keyName(key, i)
					if i%2 == 0 {
						fill(sval, uint64(i))
						c.send(set, key, sval)
					} else {
						fill(ha, uint64(i)<<1)
						fill(hb, uint64(i)<<1|1)
						c.send(hset, key, fa, ha, fb, hb)
					}
				}
				if err := c.flush(); err != nil {
					errs <- err
					return
				}
				for j := lo; j < hi; j++ {
					if _, err := c.reply(); err != nil {
						errs <- err
						return
					}
				}
			}
		}(w, c)
	}
	wg.Wait()
	el := time.Since(start)
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	return el, nil
}
