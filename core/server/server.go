// Package server is redlite's RESP server: it accepts Redis clients over TCP
// and runs their commands through the core command table.
package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/resp"
)

// Options configure a Server.
type Options struct {
	// Addr is the listen address (default 127.0.0.1:6379).
	Addr string
	// Password, when set, is required (AUTH) before any other command.
	Password string
	// Logger receives connection-level errors; nil logs to stderr.
	Logger *log.Logger
}

// Server serves one redlite database over RESP.
type Server struct {
	db   *core.DB
	opts Options
	log  *log.Logger

	mu       sync.Mutex
	ln       net.Listener
	conns    map[*conn]struct{}
	closing  atomic.Bool
	wg       sync.WaitGroup
	shutdown chan struct{} // closed when SHUTDOWN is requested

	connsTotal atomic.Int64
	rejected   atomic.Int64
}

// New prepares a server for db. It sets requirepass from opts.Password.
func New(db *core.DB, opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:6379"
	}
	s := &Server{db: db, opts: opts, conns: map[*conn]struct{}{}, shutdown: make(chan struct{})}
	s.log = opts.Logger
	if s.log == nil {
		s.log = log.New(os.Stderr, "redlite: ", log.LstdFlags)
	}
	if opts.Password != "" {
		if err := db.Config.Set("requirepass", opts.Password); err != nil {
			return nil, err
		}
	}
	db.SetServerHooks(&core.ServerHooks{Info: s.info, Shutdown: s.requestShutdown})
	return s, nil
}

// Listen opens the listening socket and records the port in the config.
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	if ta, ok := ln.Addr().(*net.TCPAddr); ok {
		_ = s.db.Config.Set("port", strconv.Itoa(ta.Port))
		_ = s.db.Config.Set("bind", ta.IP.String())
	}
	return ln.Addr(), nil
}

// Serve accepts connections until Shutdown. Listen must have been called.
func (s *Server) Serve() error {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return errors.New("redlite: Serve called before Listen")
	}
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return err
		}
		s.accept(nc)
	}
}

// ShutdownRequested is closed when a client sends SHUTDOWN.
func (s *Server) ShutdownRequested() <-chan struct{} { return s.shutdown }

func (s *Server) requestShutdown() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.shutdown:
	default:
		close(s.shutdown)
	}
	return nil
}

// Shutdown stops accepting, lets every connection finish the command it is
// running (its reply is sent: nothing acknowledged is lost), closes them and
// returns. The caller closes the DB afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	if s.ln != nil {
		_ = s.ln.Close()
	}
	for c := range s.conns {
		c.closeRead()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for c := range s.conns {
			_ = c.nc.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}

func (s *Server) accept(nc net.Conn) {
	s.connsTotal.Add(1)
	if !s.allowedPeer(nc) {
		s.rejected.Add(1)
		_, _ = nc.Write([]byte(protectedModeMsg))
		_ = nc.Close()
		return
	}
	s.mu.Lock()
	if int64(len(s.conns)) >= s.db.Config.MaxClients() {
		s.mu.Unlock()
		s.rejected.Add(1)
		_, _ = nc.Write([]byte("-ERR max number of clients reached\r\n"))
		_ = nc.Close()
		return
	}
	c := newConn(s, nc)
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go c.serve()
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

const protectedModeMsg = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
	"In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: " +
	"1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
	"2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
	"3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
	"4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// allowedPeer applies protected mode: without a password only loopback
// clients are served.
func (s *Server) allowedPeer(nc net.Conn) bool {
	if !s.db.Config.Bool("protected-mode") {
		return true
	}
	if pass, _ := s.db.Config.Get("requirepass"); pass != "" {
		return true
	}
	ta, ok := nc.RemoteAddr().(*net.TCPAddr)
	return !ok || ta.IP.IsLoopback()
}

func (s *Server) info(section string) []string {
	switch section {
	case "server":
		port, _ := s.db.Config.Get("port")
		return []string{"tcp_port:" + port}
	case "stats":
		return []string{"rejected_connections:" + strconv.FormatInt(s.rejected.Load(), 10)}
	}
	return nil
}

// conn is one client connection: a reader, an output buffer flushed once
// per pipeline batch, and the client's session.
type conn struct {
	srv  *Server
	nc   net.Conn
	r    *resp.Reader
	sess *core.Session

	outMu sync.Mutex // serialises writes: replies and pushed messages
	out   []byte
	arena []byte // pipelined arguments, see keep
	// busy is set (under outMu) while a command runs: pushed messages wait
	// for its reply, so a SUBSCRIBE's confirmation precedes the messages.
	busy    bool
	pushing bool          // the push goroutine runs (set by serve only)
	done    chan struct{} // closed when serve returns

	// qbuf is the input read but not yet parsed, for CLIENT LIST: the
	// reader belongs to the connection's goroutines, other clients read this.
	qbuf atomic.Int64

	closed atomic.Bool
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{srv: s, nc: nc, r: resp.NewReader(nc), done: make(chan struct{})}
	c.sess = s.db.NewSession()
	fd := -1
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
		if raw, err := tc.SyscallConn(); err == nil {
			_ = raw.Control(func(f uintptr) { fd = int(f) })
		}
	}
	c.sess.Info = &core.ConnInfo{
		Addr:      nc.RemoteAddr().String(),
		LocalAddr: nc.LocalAddr().String(),
		FD:        fd,
		QueryBuf:  func() int { return int(c.qbuf.Load()) },
		OutBuf:    func() int { c.outMu.Lock(); defer c.outMu.Unlock(); return len(c.out) },
		Kill:      func() { _ = c.nc.Close() },
		Watch:     c.watchClose,
	}
	return c
}

// closeRead makes the connection stop after the command in progress.
func (c *conn) closeRead() {
	if tc, ok := c.nc.(*net.TCPConn); ok {
		_ = tc.CloseRead()
		return
	}
	_ = c.nc.SetReadDeadline(time.Now())
}

func (c *conn) serve() {
	defer c.srv.forget(c)
	defer func() {
		if p := recover(); p != nil {
			c.srv.log.Printf("connection %s: recovered panic: %v\n%s", c.nc.RemoteAddr(), p, debug.Stack())
		}
		close(c.done)
		c.sess.Close()
		c.closed.Store(true)
		_ = c.nc.Close()
	}()
	cfg := c.srv.db.Config
	for {
		c.r.MaxBulk = cfg.MaxBulk()
		c.r.MaxQueryBuf = cfg.MaxQueryBuf()
		c.r.Unauthenticated = !c.sess.Authenticated()
		if t := cfg.IdleTimeout(); t > 0 && c.r.Buffered() == 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Second))
		}
		argv, err := c.r.ReadCommand()
		c.qbuf.Store(int64(c.r.Buffered()))
		if err != nil {
			c.readFailed(err)
			return
		}
		if len(argv) == 0 {
			continue
		}
		if c.r.Buffered() > 0 {
			// A pipeline: run the commands already received together, so
			// their writes share one commit.
			batch, rerr := c.collect(argv)
			c.running()
			c.sess.DoPipeline(batch, func(v resp.Value) { c.emit(v, true) })
			if !c.ran() {
				return
			}
			if rerr != nil {
				c.readFailed(rerr)
				return
			}
			continue
		}
		c.running()
		c.emit(c.sess.Do(argv), !c.sess.ReplySuppressed())
		if !c.ran() {
			return
		}
	}
}

// running marks a command (or a pipeline) as running: pushed messages wait
// until its replies are written. Messages that arrived before it go out
// first (an UNSUBSCRIBE's confirmation follows them, as in Redis).
func (c *conn) running() {
	if c.pushing {
		c.outMu.Lock()
		c.appendPushesLocked(0)
		c.busy = true
		c.outMu.Unlock()
	}
}

// emit adds a reply to the output, followed by any confirmations the
// command queued (a multi-channel SUBSCRIBE answers once per channel) and
// messages that arrived while it ran.
func (c *conn) emit(v resp.Value, send bool) {
	c.outMu.Lock()
	if send {
		c.out = resp.Append(c.out, v, c.sess.Proto)
	}
	if c.pushing || c.sess.Sub.Pending() {
		c.appendPushesLocked(0)
	}
	c.outMu.Unlock()
}

// ran ends a command or pipeline: it flushes the output at the end of a
// pipeline batch and starts the push goroutine once the client subscribed.
// It reports whether the connection stays open.
func (c *conn) ran() bool {
	c.outMu.Lock()
	c.busy = false
	var werr error
	if c.r.Buffered() == 0 || len(c.out) > 64<<10 || c.sess.Closing {
		werr = c.flushLocked()
	}
	c.outMu.Unlock()
	if werr != nil || c.sess.Closing || c.sess.Killed.Load() || c.sess.Sub.Overflowed() {
		return false
	}
	if !c.pushing && c.sess.Sub.Count() > 0 {
		c.pushing = true
		go c.push()
	}
	return true
}

// readFailed answers a protocol error before the connection closes, as
// Redis does, and logs unexpected read errors.
func (c *conn) readFailed(err error) {
	var pe *resp.ProtocolError
	if errors.As(err, &pe) {
		c.outMu.Lock()
		c.out = resp.Append(c.out, resp.Err("ERR "+pe.Error()), 2)
		_ = c.flushLocked()
		c.outMu.Unlock()
		return
	}
	if errors.Is(err, resp.ErrQueryBufLimit) {
		// As Redis: logged, and the client dropped without a reply.
		c.srv.log.Printf("closing client %s that reached max query buffer length", c.nc.RemoteAddr())
		return
	}
	// A client that leaves, even in the middle of a request, is no error
	// of the server's: logging it would let any client fill the log.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || c.srv.closing.Load() || c.sess.Killed.Load() {
		return
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		c.srv.log.Printf("connection %s: %v", c.nc.RemoteAddr(), err)
	}
}

// maxPipelineBatch bounds the commands run together from one pipeline.
const maxPipelineBatch = 256

// collect copies first and every further complete command already buffered
// (the reader reuses its buffers) into a batch. A read error is returned
// with the commands read before it, which still run.
func (c *conn) collect(first [][]byte) ([][][]byte, error) {
	c.arena = c.arena[:0]
	batch := [][][]byte{c.keep(first)}
	for len(batch) < maxPipelineBatch && c.r.Buffered() > 0 {
		argv, err := c.r.ReadCommand()
		if err != nil {
			return batch, err
		}
		if len(argv) > 0 {
			batch = append(batch, c.keep(argv))
		}
	}
	return batch, nil
}

// keep copies argv into the connection's arena. When the arena is full a
// new one is started; slices into the old one stay valid.
func (c *conn) keep(argv [][]byte) [][]byte {
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	if cap(c.arena)-len(c.arena) < n {
		c.arena = make([]byte, 0, max(n, 64<<10))
	}
	out := make([][]byte, len(argv))
	for i, a := range argv {
		start := len(c.arena)
		c.arena = append(c.arena, a...)
		out[i] = c.arena[start:len(c.arena):len(c.arena)]
	}
	return out
}

// pushChunk bounds the messages written per turn of the push goroutine, so
// a long backlog does not hold outMu (and the replies) for its whole write.
const pushChunk = 64 << 10

// appendPushesLocked moves waiting pub/sub messages (up to about max bytes,
// all when max <= 0) into the output buffer; outMu must be held. It reports
// whether it moved any.
func (c *conn) appendPushesLocked(max int64) bool {
	msgs := c.sess.Sub.Take(max)
	for _, m := range msgs {
		c.out = resp.Append(c.out, m, c.sess.Proto)
	}
	return len(msgs) > 0
}

// push delivers pub/sub messages while the connection is idle, promptly and
// without involving the goroutine that reads commands. Publishers only
// queue messages on the subscriber, so a slow client never slows PUBLISH;
// its queue is bounded by client-output-buffer-limit pubsub, past which
// the core closes the connection (Session.Info.Kill).
func (c *conn) push() {
	sub := c.sess.Sub
	for {
		select {
		case <-sub.Ready():
		case <-c.done:
			return
		}
		for {
			c.outMu.Lock()
			if c.busy {
				// The command's reply goes first; serve sends the
				// messages after it.
				c.outMu.Unlock()
				break
			}
			moved := c.appendPushesLocked(pushChunk)
			err := c.flushLocked()
			c.outMu.Unlock()
			if err != nil {
				_ = c.nc.Close()
				return
			}
			if !moved {
				break
			}
		}
	}
}

// watchClose notices a client that disconnects while its command waits
// (BLPOP...): it peeks at the socket without consuming anything, so the
// blocked command can give up and free its session. stop ends the peeking
// before serve reads the socket again.
func (c *conn) watchClose() (<-chan struct{}, func()) {
	gone := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for {
			err := c.r.WaitMore()
			c.qbuf.Store(int64(c.r.Buffered()))
			if err == nil {
				continue // pipelined input is kept for later; peek past it
			}
			var ne net.Error
			if errors.Is(err, bufio.ErrBufferFull) || (errors.As(err, &ne) && ne.Timeout()) {
				return // the buffer is full, or stop was called
			}
			close(gone)
			return
		}
	}()
	stop := func() {
		_ = c.nc.SetReadDeadline(time.Now())
		<-exited
		_ = c.nc.SetReadDeadline(time.Time{})
	}
	return gone, stop
}

// writeOverSoftLocked writes output bigger than the normal soft limit: the
// client must take all but soft bytes of it within soft-seconds or it is
// disconnected, as Redis disconnects a client whose output buffer stays
// over the soft limit for longer than that. Redis counts whole seconds, so
// the time allowed runs to the end of the second soft-seconds after this
// one starts. outMu must be held.
func (c *conn) writeOverSoftLocked(soft, secs int64) error {
	deadline := time.Now().Truncate(time.Second).Add(time.Duration(secs+1) * time.Second)
	_ = c.nc.SetWriteDeadline(deadline)
	n, err := c.nc.Write(c.out[:int64(len(c.out))-soft])
	_ = c.nc.SetWriteDeadline(time.Time{})
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.out = c.out[:0]
			_ = c.nc.Close()
			return fmt.Errorf("output buffer soft limit reached")
		}
		return err
	}
	_, err = c.nc.Write(c.out[n:])
	return err
}

// flushLocked writes the pending output; outMu must be held.
func (c *conn) flushLocked() error {
	if len(c.out) == 0 {
		return nil
	}
	lim := c.srv.db.Config.OutputLimits()
	if lim.NormalHard > 0 && int64(len(c.out)) > lim.NormalHard {
		c.out = c.out[:0]
		_ = c.nc.Close()
		return fmt.Errorf("output buffer limit reached")
	}
	var err error
	if lim.NormalSoft > 0 && int64(len(c.out)) > lim.NormalSoft {
		err = c.writeOverSoftLocked(lim.NormalSoft, lim.NormalSoftSeconds)
	} else {
		_, err = c.nc.Write(c.out)
	}
	if cap(c.out) > 1<<20 {
		c.out = nil // do not keep a huge buffer for an idle client
	} else {
		c.out = c.out[:0]
	}
	return err
}
