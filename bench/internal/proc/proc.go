// Package proc starts the servers the benchmarks measure (redlite,
// redis-server) as processes on free loopback ports, and stops them.
package proc

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Config says how long Start waits for a server to accept connections,
// how long Stop gives it to shut down before killing it, and where its
// standard error goes (nil: discarded).
type Config struct {
	Ready    time.Duration
	Shutdown time.Duration
	Stderr   io.Writer
}

// Server is a started server process.
type Server struct {
	Name     string
	Port     int
	cmd      *exec.Cmd
	shutdown time.Duration
}

// FreePort is a loopback TCP port nobody listens on right now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Start runs bin with args, "PORT" in an argument replaced by a free port,
// and waits until it accepts connections on 127.0.0.1.
func (c Config) Start(name, bin string, args ...string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Name: name, Port: port, shutdown: c.Shutdown}
	full := make([]string, len(args))
	for i, a := range args {
		full[i] = strings.ReplaceAll(a, "PORT", strconv.Itoa(port))
	}
	s.cmd = exec.Command(bin, full...)
	s.cmd.Stderr = c.Stderr
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(c.Ready)
	for time.Now().Before(deadline) {
		if conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			conn.Close()
			return s, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("%s did not start", name)
}

// Stop asks the server to shut down (redlite folds its WAL into the file
// on the way) and waits; a server that hangs is killed. Stopping twice is
// harmless.
func (s *Server) Stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.shutdown):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd.Process = nil
}

// Pid is the server's process id (0 once stopped).
func (s *Server) Pid() int {
	if s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
