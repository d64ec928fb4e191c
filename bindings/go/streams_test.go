package redlite

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreams(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		id, err := db.XAdd(ctx, &XAddArgs{Stream: "s", ID: "1-1", Values: []any{"a", 1, "b", "two"}})
		require.NoError(t, err)
		assert.Equal(t, "1-1", id)
		id, err = db.XAdd(ctx, &XAddArgs{Stream: "s", ID: "2-*", Values: map[string]any{"c": 3}})
		require.NoError(t, err)
		assert.Equal(t, "2-0", id)
		id, err = db.XAdd(ctx, &XAddArgs{Stream: "s", Values: []string{"d", "4"}})
		require.NoError(t, err)
		assert.Regexp(t, `^\d+-\d+$`, id)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "s", ID: "1-0", Values: []string{"x", "y"}})
		requireCode(t, err, "ERR", "The ID specified in XADD is equal or smaller than the target stream top item")
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "s", Values: []string{"odd"}})
		require.ErrorContains(t, err, "pairs")
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "none", NoMkStream: true, Values: []string{"a", "b"}})
		require.ErrorIs(t, err, Nil)

		n, err := db.XLen(ctx, "s")
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		msgs, err := db.XRange(ctx, "s", "-", "+")
		require.NoError(t, err)
		require.Len(t, msgs, 3)
		assert.Equal(t, XMessage{ID: "1-1", Values: map[string]any{"a": "1", "b": "two"}}, msgs[0])
		assert.Equal(t, XMessage{ID: "2-0", Values: map[string]any{"c": "3"}}, msgs[1])
		msgs, _ = db.XRangeN(ctx, "s", "(1-1", "+", 1)
		assert.Equal(t, []XMessage{{ID: "2-0", Values: map[string]any{"c": "3"}}}, msgs)
		msgs, _ = db.XRevRange(ctx, "s", "2-0", "-")
		assert.Equal(t, []string{"2-0", "1-1"}, ids(msgs))
		msgs, _ = db.XRevRangeN(ctx, "s", "+", "-", 1)
		assert.Equal(t, []string{id}, ids(msgs))
		msgs, err = db.XRange(ctx, "none", "-", "+")
		require.NoError(t, err)
		assert.Empty(t, msgs)
		_, err = db.XRange(ctx, "s", "bad", "+")
		requireCode(t, err, "ERR", "Invalid stream ID specified as stream command argument")

		n, err = db.XDel(ctx, "s", "2-0", "9-9")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)

		for i := 0; i < 10; i++ {
			_, err := db.XAdd(ctx, &XAddArgs{Stream: "t", Values: []string{"i", "x"}})
			require.NoError(t, err)
		}
		n, err = db.XTrimMaxLen(ctx, "t", 8)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		_, err = db.XTrimMaxLenApprox(ctx, "t", 5, 0)
		require.NoError(t, err)
		n, err = db.XTrimMaxLenApprox(ctx, "t", 0, 100)
		require.NoError(t, err)
		n2, _ := db.XLen(ctx, "t")
		assert.Equal(t, int64(8), n+n2)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "5-0", Values: []string{"a", "b"}})
		require.NoError(t, err)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "6-0", Values: []string{"a", "b"}})
		require.NoError(t, err)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "7-0", MinID: "6", Values: []string{"a", "b"}})
		require.NoError(t, err)
		n, _ = db.XLen(ctx, "u")
		assert.Equal(t, int64(2), n)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "8-0", MaxLen: 2, Approx: true, Limit: 10, Values: []string{"a", "b"}})
		require.NoError(t, err)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "9-0", MaxLen: 1, Values: []string{"a", "b"}})
		require.NoError(t, err)
		n, _ = db.XLen(ctx, "u")
		assert.Equal(t, int64(1), n)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "u", ID: "10-0", MaxLen: 1, Limit: 10, Values: []string{"a", "b"}})
		requireCode(t, err, "ERR", "syntax error, LIMIT cannot be used without the special ~ option")
		n, err = db.XTrimMinID(ctx, "u", "10")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, err = db.XTrimMinIDApprox(ctx, "t", "0", 100)
		require.NoError(t, err)

		info, err := db.XInfoStream(ctx, "s")
		require.NoError(t, err)
		assert.Equal(t, int64(2), info.Length)
		assert.Equal(t, id, info.LastGeneratedID)
		assert.Equal(t, "2-0", info.MaxDeletedEntryID)
		assert.Equal(t, int64(3), info.EntriesAdded)
		assert.Equal(t, "1-1", info.RecordedFirstEntryID)
		assert.Equal(t, XMessage{ID: "1-1", Values: map[string]any{"a": "1", "b": "two"}}, info.FirstEntry)
		assert.Equal(t, id, info.LastEntry.ID)
		assert.Equal(t, int64(0), info.Groups)
		_, err = db.XInfoStream(ctx, "none")
		requireCode(t, err, "ERR", "no such key")

		require.NoError(t, db.Set(ctx, "str", "v"))
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "str", Values: []string{"a", "b"}})
		require.ErrorIs(t, err, ErrWrongType)
	})
}

func ids(msgs []XMessage) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

func TestStreamRead(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		for _, id := range []string{"1-0", "2-0", "3-0"} {
			_, err := db.XAdd(ctx, &XAddArgs{Stream: "a", ID: id, Values: []string{"n", id}})
			require.NoError(t, err)
		}
		_, err := db.XAdd(ctx, &XAddArgs{Stream: "b", ID: "5-0", Values: []string{"n", "b"}})
		require.NoError(t, err)

		streams, err := db.XReadStreams(ctx, "a", "b", "1-0", "0")
		require.NoError(t, err)
		require.Len(t, streams, 2)
		assert.Equal(t, "a", streams[0].Stream)
		assert.Equal(t, []string{"2-0", "3-0"}, ids(streams[0].Messages))
		assert.Equal(t, XStream{Stream: "b", Messages: []XMessage{{ID: "5-0", Values: map[string]any{"n": "b"}}}}, streams[1])
		streams, err = db.XRead(ctx, &XReadArgs{Streams: []string{"a", "0"}, Count: 1, Block: -1})
		require.NoError(t, err)
		assert.Equal(t, []string{"1-0"}, ids(streams[0].Messages))
		_, err = db.XReadStreams(ctx, "a", "3-0")
		require.ErrorIs(t, err, Nil)
		_, err = db.XReadStreams(ctx, "a", "b", "0")
		requireCode(t, err, "ERR", "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")

		// Blocking: a timeout is Nil; an XAdd wakes the reader; ctx ends it.
		_, err = db.XRead(ctx, &XReadArgs{Streams: []string{"a", "$"}, Block: 20 * time.Millisecond})
		require.ErrorIs(t, err, Nil)
		got := make(chan []XStream, 1)
		go func() {
			s, err := db.XRead(ctx, &XReadArgs{Streams: []string{"a", "$"}})
			assert.NoError(t, err)
			got <- s
		}()
		time.Sleep(50 * time.Millisecond)
		_, err = db.XAdd(ctx, &XAddArgs{Stream: "a", ID: "4-0", Values: []string{"n", "new"}})
		require.NoError(t, err)
		select {
		case s := <-got:
			assert.Equal(t, []XStream{{Stream: "a", Messages: []XMessage{{ID: "4-0", Values: map[string]any{"n": "new"}}}}}, s)
		case <-time.After(10 * time.Second):
			t.Fatal("XRead BLOCK was not woken by XADD")
		}
		cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		_, err = db.XRead(cctx, &XReadArgs{Streams: []string{"a", "$"}})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestStreamGroups(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db cmds) {
		requireCode(t, db.XGroupCreate(ctx, "s", "g", "$"), "ERR", "The XGROUP subcommand requires the key to exist")
		require.NoError(t, db.XGroupCreateMkStream(ctx, "s", "g", "$"))
		err := db.XGroupCreate(ctx, "s", "g", "$")
		require.ErrorIs(t, err, ErrBusyGroup)
		requireCode(t, err, "BUSYGROUP", "Consumer Group name already exists")
		for _, id := range []string{"1-0", "2-0", "3-0"} {
			_, err := db.XAdd(ctx, &XAddArgs{Stream: "s", ID: id, Values: []string{"job", id}})
			require.NoError(t, err)
		}

		streams, err := db.XReadGroup(ctx, &XReadGroupArgs{Group: "g", Consumer: "alice", Streams: []string{"s", ">"}, Count: 2, Block: -1})
		require.NoError(t, err)
		require.Len(t, streams, 1)
		assert.Equal(t, []string{"1-0", "2-0"}, ids(streams[0].Messages))
		streams, err = db.XReadGroup(ctx, &XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{"s", ">"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"3-0"}, ids(streams[0].Messages))
		_, err = db.XReadGroup(ctx, &XReadGroupArgs{Group: "g", Consumer: "bob", Streams: []string{"s", ">"}, Block: 20 * time.Millisecond})
		require.ErrorIs(t, err, Nil)
		// History: alice's pending entries.
		streams, err = db.XReadGroup(ctx, &XReadGroupArgs{Group: "g", Consumer: "alice", Streams: []string{"s", "0"}, Block: -1})
		require.NoError(t, err)
		assert.Equal(t, []string{"1-0", "2-0"}, ids(streams[0].Messages))
		_, err = db.XReadGroup(ctx, &XReadGroupArgs{Group: "nogroup", Consumer: "x", Streams: []string{"s", ">"}, Block: -1})
		require.ErrorIs(t, err, ErrNoGroup)

		p, err := db.XPending(ctx, "s", "g")
		require.NoError(t, err)
		assert.Equal(t, &XPending{Count: 3, Lower: "1-0", Higher: "3-0", Consumers: map[string]int64{"alice": 2, "bob": 1}}, p)
		ext, err := db.XPendingExt(ctx, &XPendingExtArgs{Stream: "s", Group: "g", Start: "-", End: "+", Count: 10})
		require.NoError(t, err)
		require.Len(t, ext, 3)
		assert.Equal(t, "1-0", ext[0].ID)
		assert.Equal(t, "alice", ext[0].Consumer)
		assert.Equal(t, int64(1), ext[2].RetryCount)
		assert.Equal(t, int64(2), ext[0].RetryCount, "delivered again by the history read")
		ext, _ = db.XPendingExt(ctx, &XPendingExtArgs{Stream: "s", Group: "g", Start: "-", End: "+", Count: 10, Consumer: "bob"})
		assert.Equal(t, []string{"3-0"}, []string{ext[0].ID})
		ext, _ = db.XPendingExt(ctx, &XPendingExtArgs{Stream: "s", Group: "g", Idle: time.Hour, Start: "-", End: "+", Count: 10})
		assert.Empty(t, ext)

		n, err := db.XAck(ctx, "s", "g", "1-0", "9-0")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)

		msgs, err := db.XClaim(ctx, &XClaimArgs{Stream: "s", Group: "g", Consumer: "carol", Messages: []string{"2-0"}})
		require.NoError(t, err)
		assert.Equal(t, []XMessage{{ID: "2-0", Values: map[string]any{"job": "2-0"}}}, msgs)
		claimed, err := db.XClaimJustID(ctx, &XClaimArgs{Stream: "s", Group: "g", Consumer: "carol", MinIdle: time.Hour, Messages: []string{"3-0"}})
		require.NoError(t, err)
		assert.Empty(t, claimed)
		claimed, _ = db.XClaimJustID(ctx, &XClaimArgs{Stream: "s", Group: "g", Consumer: "carol", Messages: []string{"3-0"}})
		assert.Equal(t, []string{"3-0"}, claimed)

		msgs, next, err := db.XAutoClaim(ctx, &XAutoClaimArgs{Stream: "s", Group: "g", Consumer: "dave", Start: "0", Count: 1})
		require.NoError(t, err)
		assert.Equal(t, []string{"2-0"}, ids(msgs))
		assert.Equal(t, "3-0", next)
		claimed, next, err = db.XAutoClaimJustID(ctx, &XAutoClaimArgs{Stream: "s", Group: "g", Consumer: "dave", Start: next})
		require.NoError(t, err)
		assert.Equal(t, []string{"3-0"}, claimed)
		assert.Equal(t, "0-0", next)

		groups, err := db.XInfoGroups(ctx, "s")
		require.NoError(t, err)
		require.Len(t, groups, 1)
		assert.Equal(t, XInfoGroup{Name: "g", Consumers: 4, Pending: 2, LastDeliveredID: "3-0", EntriesRead: 3, Lag: 0}, groups[0])
		consumers, err := db.XInfoConsumers(ctx, "s", "g")
		require.NoError(t, err)
		require.Len(t, consumers, 4)
		assert.Equal(t, "alice", consumers[0].Name)
		assert.Equal(t, int64(0), consumers[0].Pending)
		assert.Equal(t, int64(2), consumers[3].Pending)
		assert.Less(t, consumers[3].Idle, time.Minute)

		n, err = db.XGroupCreateConsumer(ctx, "s", "g", "erin")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = db.XGroupDelConsumer(ctx, "s", "g", "dave")
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		require.NoError(t, db.XGroupSetID(ctx, "s", "g", "0"))
		streams, err = db.XReadGroup(ctx, &XReadGroupArgs{Group: "g", Consumer: "erin", Streams: []string{"s", ">"}, NoAck: true, Block: -1})
		require.NoError(t, err)
		assert.Len(t, streams[0].Messages, 3)
		p, _ = db.XPending(ctx, "s", "g")
		assert.Equal(t, int64(0), p.Count, "NOACK reads leave nothing pending")
		n, err = db.XGroupDestroy(ctx, "s", "g")
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, _ = db.XGroupDestroy(ctx, "s", "g")
		assert.Equal(t, int64(0), n)
	})
}
