package main

import (
	"fmt"
	"slices"
	"time"
)

// getRound sends count GETs of random string keys (the even ones) among n,
// one at a time on one connection (closed loop: the next request leaves
// when the reply is in), and appends each round trip's latency to lat.
func getRound(c *client, n, count int, seed uint64, lat []time.Duration) ([]time.Duration, error) {
	get := []byte("GET")
	var key []byte
	x := seed
	for range count {
		x = splitmix(x)
		i := int(x%uint64(n/2)) * 2
		key = keyName(key, i)
		t := time.Now()
		c.send(get, key)
		if err := c.flush(); err != nil {
			return lat, err
		}
		v, err := c.reply()
		if err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t))
		if len(v) != 32 {
			return lat, fmt.Errorf("GET %s: got %d bytes, want 32", key, len(v))
		}
	}
	return lat, nil
}

// percentile returns the p-th percentile (0..100) of lat, sorting it.
func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	i := int(float64(len(lat)-1) * p / 100)
	return lat[i]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
