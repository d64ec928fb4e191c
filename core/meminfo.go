package core

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// residentBytes is the process' resident set size as the OS sees it (what
// Redis reports as used_memory_rss), read from /proc/self/statm. It reports
// false where /proc is not available.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// memoryInfo is INFO's memory section. Go's part of the resident set is
// reported apart, so the rest can be told apart: mostly C's heap, where
// SQLite keeps one page cache per connection (the writer's, and one per
// reader and background connection, each filling up to its size).
func (db *DB) memoryInfo(add func(string, any)) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, ok := residentBytes()
	if !ok {
		rss = int64(ms.Sys)
	}
	add("used_memory", ms.HeapAlloc)
	add("used_memory_human", humanBytes(int64(ms.HeapAlloc)))
	add("used_memory_rss", rss)
	add("used_memory_rss_human", humanBytes(rss))
	add("used_memory_peak", ms.HeapSys)
	add("used_memory_peak_human", humanBytes(int64(ms.HeapSys)))
	maxmem, _ := db.Config.Get("maxmemory")
	policy, _ := db.Config.Get("maxmemory-policy")
	add("maxmemory", maxmem)
	add("maxmemory_policy", policy)
	add("mem_allocator", "go")
	add("redlite_page_cache_writer_bytes", int64(db.opts.CacheMB)<<20)
	add("redlite_page_cache_reader_bytes", int64(db.opts.ReaderCacheMB)<<20)
	// The heap's spans in use and the goroutine stacks: Go's share of the
	// resident set, give or take idle pages the runtime has not returned
	// to the OS yet and its own metadata.
	add("redlite_go_heap_inuse", ms.HeapInuse)
	add("redlite_go_stack_inuse", ms.StackInuse)
}
