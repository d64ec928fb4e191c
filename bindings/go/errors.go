package redlite

import (
	"errors"
	"strings"

	"github.com/redlite/redlite/core"
)

// Nil is returned when a command finds nothing: a missing key or field, an
// empty list popped, a blocking pop that timed out. Test for it with
// errors.Is(err, redlite.Nil), as with go-redis' redis.Nil.
var Nil = errors.New("redlite: nil")

// TxFailedErr is returned by Tx.TxPipelined (and so by DB.Watch) when a key
// watched by DB.Watch changed before the transaction could start. Nothing
// was written; run the whole Watch function again to retry.
var TxFailedErr = errors.New("redlite: transaction failed")

// ErrClosed is returned by every call on a closed DB.
var ErrClosed = core.ErrClosed

// ErrTxDone is returned when a Tx is used after its function returned.
var ErrTxDone = errors.New("redlite: transaction has already been committed or rolled back")

// Error is an error reply from a command, with Redis' exact text: Code is
// the first word ("ERR", "WRONGTYPE", "BUSYGROUP", "NOGROUP", "EXECABORT"...)
// and Message the rest. Error() returns both, as Redis sends them.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + " " + e.Message
}

// Is makes errors.Is(err, redlite.ErrWrongType) (or any *Error) match every
// error reply carrying the same code, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// RedisError marks the error as a reply from the data store, not a failure
// of the call (go-redis' redis.Error interface has the same method).
func (*Error) RedisError() {}

// Targets for errors.Is; they match on the code alone.
var (
	ErrWrongType = &Error{Code: "WRONGTYPE"}
	ErrNoGroup   = &Error{Code: "NOGROUP"}
	ErrBusyGroup = &Error{Code: "BUSYGROUP"}
	ErrExecAbort = &Error{Code: "EXECABORT"}
)

var closedText = "ERR " + core.ErrClosed.Error()

// replyError turns an error reply into a Go error.
func replyError(text string) error {
	if text == closedText {
		return ErrClosed
	}
	code, msg, _ := strings.Cut(text, " ")
	return &Error{Code: code, Message: msg}
}
