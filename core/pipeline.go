package core

import (
	"github.com/redlite/redlite/core/resp"
)

// DoPipeline runs a client's pipelined commands in order and passes each
// reply to emit, skipping replies CLIENT REPLY OFF/SKIP suppress. It stops
// after a command that closes the session (QUIT). Consecutive plain write commands
// share one writer request, so a pipeline of 16 SETs costs one commit
// instead of 16; consecutive reads share one read transaction. Commands
// that change session state (SELECT, MULTI, AUTH, SUBSCRIBE...) run one at
// a time through Do, exactly as if sent alone. Replies are the same as
// running each command with Do: a pipeline has no atomicity promise, but
// every write is committed before any reply of its run is returned.
func (s *Session) DoPipeline(argvs [][][]byte, emit func(resp.Value)) {
	alone := func(argv [][]byte) {
		v := s.Do(argv)
		if !s.ReplySuppressed() {
			emit(v)
		}
	}
	for i := 0; i < len(argvs) && !s.Closing && !s.Killed.Load(); {
		class, cmd := s.batchClass(argvs[i])
		if class == ExecNone {
			alone(argvs[i])
			i++
			continue
		}
		j := i + 1
		cmds := []*Command{cmd}
		for j < len(argvs) {
			c2, cmd2 := s.batchClass(argvs[j])
			if c2 != class {
				break
			}
			cmds = append(cmds, cmd2)
			j++
		}
		if j-i == 1 {
			alone(argvs[i])
		} else {
			for _, v := range s.runBatch(class, cmds, argvs[i:j]) {
				emit(v)
			}
		}
		i = j
	}
}

// batchClass says whether argv can join a batch: ExecWrite for a plain write
// command, ExecRead for a read, ExecNone for anything that must run alone.
func (s *Session) batchClass(argv [][]byte) (Exec, *Command) {
	if len(argv) == 0 || s.multi != nil || s.itx != nil || !s.authed || s.Closing || s.replyOff != replyOn {
		return ExecNone, nil
	}
	if s.store.keyMissOn() {
		return ExecNone, nil // key-miss events are sent by Do (runCmd)
	}
	if s.Sub != nil && s.Sub.Count() > 0 {
		return ExecNone, nil
	}
	cmd, _, ok := resolve(argv)
	if !ok || cmd.Flags&(FlagNoMulti|FlagPubSub|FlagBlocking) != 0 {
		return ExecNone, nil
	}
	switch cmd.execClass() {
	case ExecWrite:
		return ExecWrite, cmd
	case ExecRead:
		return ExecRead, cmd
	}
	return ExecNone, nil
}

// getRun counts the GETs at the start of cmds (resolve has checked their
// arity).
func getRun(cmds []*Command) int {
	n := 0
	for n < len(cmds) && cmds[n].Name == "get" {
		n++
	}
	return n
}

// appendGets appends the replies of the GET commands argvs.
func (s *Session) appendGets(replies []resp.Value, tx *Tx, argvs [][][]byte) []resp.Value {
	keys := s.getKeys[:0]
	for _, argv := range argvs {
		keys = append(keys, argv[1])
	}
	rows := tx.getStrings(keys)
	clear(keys) // do not keep the connection's argument buffers alive
	s.getKeys = keys[:0]
	for i := range rows {
		replies = append(replies, tx.getReply(&rows[i]))
	}
	return replies
}

// runBatch runs commands of one class in a single transaction and returns
// their replies.
func (s *Session) runBatch(class Exec, cmds []*Command, argvs [][][]byte) []resp.Value {
	out := make([]resp.Value, 0, len(argvs))
	if !s.store.enter() {
		for range argvs {
			out = append(out, errClosedReply)
		}
		return out
	}
	defer s.store.leave()
	s.store.stats.commands.Add(int64(len(argvs)))
	s.touch()
	s.LastCommand = cmds[len(cmds)-1].Name
	s.refreshView()
	replies := make([]resp.Value, 0, len(argvs))
	c := &s.call
	run := func(tx *Tx) resp.Value {
		replies = replies[:0]
		for k := 0; k < len(cmds); {
			if n := getRun(cmds[k:]); n > 1 {
				// Consecutive GETs read their keys in one call into
				// SQLite, as MGET does: same snapshot, same replies.
				tx.Now = nowMillis()
				replies = s.appendGets(replies, tx, argvs[k:k+n])
				k += n
			} else {
				*c = Call{Tx: tx, Args: argvs[k], S: s, Cmd: cmds[k]}
				tx.Now = nowMillis()
				replies = append(replies, cmds[k].Run(c))
				k++
			}
			if tx.err != nil {
				return failureReply(tx.err)
			}
		}
		return resp.OK()
	}
	s.tx.begin(s.store, s)
	var status resp.Value
	if class == ExecWrite {
		status = s.store.write(&s.tx, run)
	} else {
		status = s.store.read(&s.tx, run)
	}
	if status.IsError() || len(replies) != len(argvs) {
		// The shared transaction failed and was rolled back: nothing of
		// it is visible. Run the commands one by one for their own replies.
		for _, argv := range argvs {
			out = append(out, s.Do(argv))
		}
		return out
	}
	return replies
}
