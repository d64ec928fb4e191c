package core

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// expectPush checks a pub/sub push: its kind and elements rendered as text
// ("" for a nil element).
func expectPush(t testing.TB, want []string, v resp.Value) {
	t.Helper()
	require.Equal(t, resp.Push, v.Kind, "reply %s", show(v))
	got := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		switch e.Kind {
		case resp.Int:
			got[i] = itoaTest(e.Int)
		case resp.Nil:
			got[i] = ""
		default:
			got[i] = string(e.Str)
		}
	}
	require.Equal(t, want, got)
}

func itoaTest(n int64) string { return strconv.FormatInt(n, 10) }

func nextMsg(t testing.TB, s *Session) resp.Value {
	t.Helper()
	v, ok, err := s.NextMessage(5 * time.Second)
	require.NoError(t, err)
	require.True(t, ok, "no message within 5s")
	return v
}

func TestSubscribeConfirmationsAndMessages(t *testing.T) {
	db := openTestDB(t)
	sub, pub := db.NewSession(), db.NewSession()
	defer sub.Close()
	defer pub.Close()
	expectPush(t, []string{"subscribe", "a", "1"}, do(sub, "SUBSCRIBE", "a", "b", "a"))
	expectPush(t, []string{"subscribe", "b", "2"}, nextMsg(t, sub))
	expectPush(t, []string{"subscribe", "a", "2"}, nextMsg(t, sub))
	expectInt(t, 1, do(pub, "PUBLISH", "a", "hello"))
	expectInt(t, 0, do(pub, "PUBLISH", "c", "nobody"))
	expectPush(t, []string{"message", "a", "hello"}, nextMsg(t, sub))
	require.EqualValues(t, 1, db.Publish([]byte("b"), []byte("embedded")))
	expectPush(t, []string{"message", "b", "embedded"}, nextMsg(t, sub))
	_, ok, err := sub.NextMessage(10 * time.Millisecond)
	require.NoError(t, err)
	require.False(t, ok)

	// RESP2 subscribed mode allows only a few commands.
	expectErr(t, "ERR Can't execute 'get': only (P|S)SUBSCRIBE", do(sub, "GET", "x"))
	expectStrings(t, []string{"pong", ""}, do(sub, "PING"))
	expectPush(t, []string{"unsubscribe", "a", "1"}, do(sub, "UNSUBSCRIBE"))
	expectPush(t, []string{"unsubscribe", "b", "0"}, nextMsg(t, sub))
	expectPush(t, []string{"unsubscribe", "", "0"}, do(sub, "UNSUBSCRIBE"))
	_, _, err = sub.NextMessage(time.Second)
	require.ErrorIs(t, err, ErrNotSubscribed)
	expectNil(t, do(sub, "GET", "x"))
}

func TestPatternsAndShards(t *testing.T) {
	db := openTestDB(t)
	sub, pub := db.NewSession(), db.NewSession()
	defer sub.Close()
	defer pub.Close()
	expectPush(t, []string{"psubscribe", "h*llo", "1"}, do(sub, "PSUBSCRIBE", "h*llo", "h?llo"))
	expectPush(t, []string{"psubscribe", "h?llo", "2"}, nextMsg(t, sub))
	expectPush(t, []string{"subscribe", "hello", "3"}, do(sub, "SUBSCRIBE", "hello"))
	expectInt(t, 3, do(pub, "PUBLISH", "hello", "m"))
	expectPush(t, []string{"message", "hello", "m"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "h*llo", "hello", "m"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "h?llo", "hello", "m"}, nextMsg(t, sub))
	expectInt(t, 1, do(pub, "PUBLISH", "heeello", "m2"))
	expectPush(t, []string{"pmessage", "h*llo", "heeello", "m2"}, nextMsg(t, sub))
	expectInt(t, 2, do(pub, "PUBSUB", "NUMPAT"))
	expectStrings(t, []string{"hello"}, do(pub, "PUBSUB", "CHANNELS"))
	expectStrings(t, []string{"hello", "1", "x", "0"}, numsubText(do(pub, "PUBSUB", "NUMSUB", "hello", "x")))

	expectPush(t, []string{"ssubscribe", "s1", "1"}, do(sub, "SSUBSCRIBE", "s1"))
	expectInt(t, 0, do(pub, "PUBLISH", "s1", "x"))
	expectInt(t, 1, do(pub, "SPUBLISH", "s1", "y"))
	expectPush(t, []string{"smessage", "s1", "y"}, nextMsg(t, sub))
	expectStrings(t, []string{"s1"}, do(pub, "PUBSUB", "SHARDCHANNELS", "s*"))
	expectStrings(t, []string{"s1", "1"}, numsubText(do(pub, "PUBSUB", "SHARDNUMSUB", "s1")))

	// Shard channels are counted apart from channels and patterns.
	expectPush(t, []string{"punsubscribe", "h*llo", "2"}, do(sub, "PUNSUBSCRIBE"))
	expectPush(t, []string{"punsubscribe", "h?llo", "1"}, nextMsg(t, sub))
	expectInt(t, 0, do(pub, "PUBSUB", "NUMPAT"))
	sub.Close()
	expectInt(t, 0, do(pub, "PUBLISH", "hello", "gone"))
	expectStrings(t, nil, do(pub, "PUBSUB", "CHANNELS"))
}

func numsubText(v resp.Value) resp.Value {
	out := make([]resp.Value, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind == resp.Int {
			out[i] = resp.BulkString(itoaTest(e.Int))
		} else {
			out[i] = e
		}
	}
	return resp.ArrayValue(out)
}
