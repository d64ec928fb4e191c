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
	require.Contains(t, string(do(pub, "INFO", "stats").Str), "pubsub_channels:1\r\npubsub_patterns:2\r\npubsubshard_channels:0\r\n")
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

func TestKeyspaceNotificationsEmbedded(t *testing.T) {
	db := openTestDB(t)
	sub, w := db.NewSession(), db.NewSession()
	defer sub.Close()
	defer w.Close()
	expectPush(t, []string{"psubscribe", "__key*__:*", "1"}, do(sub, "PSUBSCRIBE", "__key*__:*"))
	// Off by default: a write sends nothing.
	expectOK(t, do(w, "SET", "quiet", "v"))
	_, ok, err := sub.NextMessage(20 * time.Millisecond)
	require.NoError(t, err)
	require.False(t, ok)

	expectOK(t, do(w, "CONFIG", "SET", "notify-keyspace-events", "KEA"))
	expectOK(t, do(w, "SET", "k", "v", "PX", "50"))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyspace@0__:k", "set"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@0__:set", "k"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyspace@0__:k", "expire"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@0__:expire", "k"}, nextMsg(t, sub))
	// The sweeper removes the key and says so.
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyspace@0__:k", "expired"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@0__:expired", "k"}, nextMsg(t, sub))

	// Only the keyevent channel, only new-key events, in database 2.
	expectOK(t, do(w, "CONFIG", "SET", "notify-keyspace-events", "En"))
	expectOK(t, do(w, "SELECT", "2"))
	expectOK(t, do(w, "SET", "fresh", "1"))
	expectOK(t, do(w, "SET", "fresh", "2"))
	expectInt(t, 3, do(w, "INCR", "fresh"))
	expectInt(t, 1, do(w, "APPEND", "fresh2", "x"))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@2__:new", "fresh"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@2__:new", "fresh2"}, nextMsg(t, sub))
	_, ok, _ = sub.NextMessage(20 * time.Millisecond)
	require.False(t, ok)

	// Inside MULTI, events are sent when EXEC commits, in order.
	expectOK(t, do(w, "CONFIG", "SET", "notify-keyspace-events", "E$"))
	expectOK(t, do(w, "MULTI"))
	do(w, "SET", "m", "1")
	do(w, "APPEND", "m", "2")
	require.Len(t, do(w, "EXEC").Elems, 2)
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@2__:set", "m"}, nextMsg(t, sub))
	expectPush(t, []string{"pmessage", "__key*__:*", "__keyevent@2__:append", "m"}, nextMsg(t, sub))
	expectOK(t, do(w, "CONFIG", "SET", "notify-keyspace-events", ""))
}

func TestNotifyFlagsFormat(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "KEA": "AKE", "KEAn": "AKE", "gl$shzxetdn": "A", "nKE": "nKE", "EKm$": "$KEm", "g$": "g$", "Ag": "A",
	} {
		mask, err := parseNotifyFlags(in)
		require.NoError(t, err)
		require.Equal(t, want, formatNotifyFlags(mask), "flags %q", in)
	}
	_, err := parseNotifyFlags("Q")
	require.Error(t, err)
}

// An embedded subscriber that does not take its messages passes the pubsub
// output buffer limit: its subscriptions end with ErrSubscriberOverflow,
// and PUBLISH never waited for it.
func TestSubscriberOverflowEmbedded(t *testing.T) {
	db := openTestDB(t)
	sub, pub := db.NewSession(), db.NewSession()
	defer sub.Close()
	defer pub.Close()
	expectOK(t, do(pub, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 100kb 0 0"))
	do(sub, "SUBSCRIBE", "ch")
	big := string(make([]byte, 10<<10))
	delivered := int64(0)
	for i := 0; i < 20; i++ {
		delivered += do(pub, "PUBLISH", "ch", big).Int
	}
	require.Less(t, delivered, int64(20))
	_, _, err := sub.NextMessage(time.Second)
	require.ErrorIs(t, err, ErrSubscriberOverflow)
	// Subscribing again starts afresh, without the dropped subscription.
	expectPush(t, []string{"subscribe", "other", "1"}, do(sub, "SUBSCRIBE", "other"))
	expectInt(t, 0, do(pub, "PUBLISH", "ch", "x"))
	expectInt(t, 1, do(pub, "PUBLISH", "other", "y"))
	expectPush(t, []string{"message", "other", "y"}, nextMsg(t, sub))

	// Under the limit nothing is lost.
	expectOK(t, do(pub, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60"))
	for i := 0; i < 1000; i++ {
		expectInt(t, 1, do(pub, "PUBLISH", "other", strconv.Itoa(i)))
	}
	for i := 0; i < 1000; i++ {
		expectPush(t, []string{"message", "other", strconv.Itoa(i)}, nextMsg(t, sub))
	}
}

func TestNextMessageEnds(t *testing.T) {
	db, err := Open(Options{Path: t.TempDir() + "/n.db"})
	require.NoError(t, err)
	s := db.NewSession()
	_, _, err = s.NextMessage(time.Second)
	require.ErrorIs(t, err, ErrNotSubscribed)
	do(s, "SUBSCRIBE", "ch")
	// Waiting forever, ended by the session closing in another goroutine.
	done := make(chan error, 1)
	go func() { _, _, err := s.NextMessage(-1); done <- err }()
	time.Sleep(20 * time.Millisecond)
	s.Close()
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrSessionClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("NextMessage did not return when the session closed")
	}
	// And by the DB closing.
	s2 := db.NewSession()
	do(s2, "PSUBSCRIBE", "*")
	go func() { _, _, err := s2.NextMessage(-1); done <- err }()
	time.Sleep(20 * time.Millisecond)
	go func() { _ = db.Close() }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("NextMessage did not return when the DB closed")
	}
}

// RESET drops subscriptions and leaves subscribed mode.
func TestResetUnsubscribes(t *testing.T) {
	db := openTestDB(t)
	s, pub := db.NewSession(), db.NewSession()
	defer s.Close()
	defer pub.Close()
	do(s, "SUBSCRIBE", "a")
	do(s, "PSUBSCRIBE", "b*")
	do(s, "SSUBSCRIBE", "c")
	require.Equal(t, "RESET", string(do(s, "RESET").Str))
	expectInt(t, 0, do(pub, "PUBLISH", "a", "x"))
	expectInt(t, 0, do(pub, "PUBLISH", "bb", "x"))
	expectInt(t, 0, do(pub, "SPUBLISH", "c", "x"))
	expectNil(t, do(s, "GET", "k"))
	require.Zero(t, db.hub.listening.Load())
}

// BenchmarkPublish: PUBLISH to one local subscriber that keeps up; the
// cost includes checking whether another process listens.
func BenchmarkPublish(b *testing.B) {
	s := benchSession(b)
	sub := s.store.NewSession()
	defer sub.Close()
	do(sub, "SUBSCRIBE", "ch")
	argv := [][]byte{[]byte("PUBLISH"), []byte("ch"), []byte("hello")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if v := s.Do(argv); v.Int != 1 {
			b.Fatal(show(v))
		}
		if _, ok, _ := sub.NextMessage(0); !ok {
			b.Fatal("message not queued")
		}
	}
}
