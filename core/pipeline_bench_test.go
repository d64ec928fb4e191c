package core

import (
	"strconv"
	"testing"

	"github.com/redlite/redlite/core/resp"
)

// BenchmarkPipelineGet16 runs GETs as the server does for a client
// pipelining 16 at a time (redis-benchmark -P 16): one DoPipeline per 16,
// the replies encoded as RESP. ns/op is per GET.
func BenchmarkPipelineGet16(b *testing.B) { benchPipeline(b, "GET", 16) }

// BenchmarkPipelineSet16 is the same for SETs (one commit per 16).
func BenchmarkPipelineSet16(b *testing.B) { benchPipeline(b, "SET", 16) }

func benchPipeline(b *testing.B, cmd string, depth int) {
	s := benchSession(b)
	const keys = 10000
	names := make([][]byte, keys)
	for i := range names {
		names[i] = []byte("key:" + strconv.Itoa(i))
		s.Do([][]byte{[]byte("SET"), names[i], []byte("xxx")})
	}
	batch := make([][][]byte, depth)
	for i := range batch {
		batch[i] = [][]byte{[]byte(cmd), nil}
		if cmd == "SET" {
			batch[i] = append(batch[i], []byte("xxx"))
		}
	}
	var out []byte
	emit := func(v resp.Value) { out = resp.Append(out, v, 2) }
	b.ResetTimer()
	for i := 0; i < b.N; i += depth {
		for j := range batch {
			batch[j][1] = names[(i+j*617)%keys]
		}
		out = out[:0]
		s.DoPipeline(batch, emit)
	}
}
