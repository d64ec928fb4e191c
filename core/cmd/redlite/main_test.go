package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
)

// The test binary doubles as the server: with REDLITE_MAIN_ARGS set it runs
// main's run() with those arguments, so the tests below drive the real
// command line, flags and signal handling.
func TestMain(m *testing.M) {
	if a := os.Getenv("REDLITE_MAIN_ARGS"); a != "" {
		if err := run(strings.Fields(a)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func startServer(t *testing.T, args string) (*exec.Cmd, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REDLITE_MAIN_ARGS=--addr "+addr+" "+args)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 10*time.Millisecond)
	return cmd, addr
}

func send(t *testing.T, addr, cmds string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte(cmds))
	require.NoError(t, err)
	var out strings.Builder
	br := bufio.NewReader(c)
	for i := 0; i < strings.Count(cmds, "\r\n"); i++ {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		out.WriteString(line)
	}
	return out.String()
}

// SIGTERM stops the server gracefully: every acknowledged write is in the
// file afterwards, and the WAL has been folded into it.
func TestSIGTERMKeepsAcknowledgedWrites(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		path := filepath.Join(t.TempDir(), "sig.db")
		cmd, addr := startServer(t, "--db "+path)
		var req strings.Builder
		for i := 0; i < 500; i++ {
			fmt.Fprintf(&req, "SET k%d v%d\r\n", i, i)
		}
		require.Equal(t, strings.Repeat("+OK\r\n", 500), send(t, addr, req.String()))
		require.NoError(t, cmd.Process.Signal(sig))
		state, err := cmd.Process.Wait()
		require.NoError(t, err)
		require.True(t, state.Success(), "exit status after %v: %v", sig, state)

		db, err := core.Open(core.Options{Path: path})
		require.NoError(t, err)
		s := db.NewSession()
		v := s.Do([][]byte{[]byte("GET"), []byte("k499")})
		require.Equal(t, "v499", string(v.Str))
		v = s.Do([][]byte{[]byte("DBSIZE")})
		require.EqualValues(t, 500, v.Int)
		s.Close()
		require.NoError(t, db.Close())
	}
}

func TestFlags(t *testing.T) {
	_, addr := startServer(t, "--storage memory --password pw --durability full")
	require.Equal(t, "-NOAUTH Authentication required.\r\n", send(t, addr, "GET a\r\n"))
	require.Equal(t, "+OK\r\n+OK\r\n", send(t, addr, "AUTH pw\r\nSET a 1\r\n"))
	require.Error(t, run([]string{"--durability", "sometimes"}))
	require.Error(t, run([]string{"--storage", "tape"}))
}

func TestShutdownCommand(t *testing.T) {
	cmd, addr := startServer(t, "--db "+filepath.Join(t.TempDir(), "s.db"))
	require.Equal(t, "+OK\r\n", send(t, addr, "SET a 1\r\n"))
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	_, _ = c.Write([]byte("SHUTDOWN\r\n"))
	// As in Redis, no reply: the connection just closes.
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := c.Read(make([]byte, 16))
	require.Equal(t, 0, n)
	require.Error(t, err)
	c.Close()
	state, err := cmd.Process.Wait()
	require.NoError(t, err)
	require.True(t, state.Success())
}
