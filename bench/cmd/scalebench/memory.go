package main

import (
	"fmt"
	"time"
)

// memState is one reading of the server's memory.
type memState struct {
	label   string
	rss     int64 // VmRSS
	anon    int64 // RssAnon: heaps, Go's and C's (SQLite's page caches)
	file    int64 // RssFile: the binary's pages (the database is not mapped)
	goHeap  int64 // INFO used_memory: live Go heap objects
	goSpans int64 // INFO redlite_go_heap_inuse + redlite_go_stack_inuse, -1 if not reported
	clients int64 // INFO connected_clients, the measuring connection included
	// The page cache sizes the server reports (bytes, per connection).
	cacheWriter, cacheReader int64
}

func (s *server) snapshot(label string, info *client) (memState, error) {
	m := memState{label: label}
	var err error
	if m.rss, m.anon, m.file, err = s.rss(); err != nil {
		return m, err
	}
	v, err := info.do("INFO", "memory")
	if err != nil {
		return m, err
	}
	mi := string(v)
	m.goHeap = infoInt(mi, "used_memory")
	m.goSpans = -1
	if heap, stack := infoInt(mi, "redlite_go_heap_inuse"), infoInt(mi, "redlite_go_stack_inuse"); heap >= 0 && stack >= 0 {
		m.goSpans = heap + stack
	}
	m.cacheWriter, m.cacheReader = infoInt(mi, "redlite_page_cache_writer_bytes"), infoInt(mi, "redlite_page_cache_reader_bytes")
	if m.cacheWriter < 0 { // a build from before readers had their own size
		m.cacheWriter = infoInt(mi, "sqlite_page_cache_bytes_per_connection")
		m.cacheReader = m.cacheWriter
	}
	if v, err = info.do("INFO", "clients"); err != nil {
		return m, err
	}
	m.clients = infoInt(string(v), "connected_clients")
	logf("%s: RSS %d MiB (anon %d, file %d), Go heap objects %d MiB, %d clients",
		label, m.rss>>20, m.anon>>20, m.file>>20, m.goHeap>>20, m.clients)
	return m, nil
}

// withIdle opens count connections that each send one PING and then stay
// idle, takes a snapshot, and closes them.
func withIdle(s *server, count int, label string, info *client) (memState, error) {
	idle := make([]*client, 0, count)
	defer func() {
		for _, c := range idle {
			c.close()
		}
	}()
	for range count {
		c, err := dial(s.Port)
		if err != nil {
			return memState{}, err
		}
		idle = append(idle, c)
		if _, err := c.do("PING"); err != nil {
			return memState{}, err
		}
	}
	time.Sleep(2 * time.Second) // let the server settle (GC, freed buffers)
	return s.snapshot(label, info)
}

// measureMemory reads the large database's server as the load and the GET
// rounds left it (page caches warm), before and with idle connections.
func measureMemory(c *config, d *dataset, _ string) ([]memState, error) {
	info, err := dial(d.lite.Port)
	if err != nil {
		return nil, err
	}
	defer info.close()
	before, err := d.lite.snapshot("after loading and the GET rounds", info)
	if err != nil {
		return nil, err
	}
	with, err := withIdle(d.lite, c.idle, fmt.Sprintf("same, with %d idle connections", c.idle), info)
	if err != nil {
		return nil, err
	}
	return []memState{before, with}, nil
}

// measureFresh restarts the server on the large database and reads it
// before and with idle connections, then after a GET round with them open.
func measureFresh(c *config, d *dataset, path string) ([]memState, error) {
	s, err := start("redlite", c.bin, c.liteArgs(path)...)
	if err != nil {
		return nil, err
	}
	defer s.Stop()
	info, err := dial(s.Port)
	if err != nil {
		return nil, err
	}
	defer info.close()
	time.Sleep(time.Second)
	before, err := s.snapshot("fresh start, no clients", info)
	if err != nil {
		return nil, err
	}
	with, err := withIdle(s, c.idle, fmt.Sprintf("fresh start, %d idle connections", c.idle), info)
	if err != nil {
		return nil, err
	}
	return []memState{before, with}, nil
}
