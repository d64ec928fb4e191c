package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// client is a minimal RESP2 client for the replies the benchmark expects
// (status, integer, bulk string, error); the same code talks to redlite
// and to redis-server, so both are loaded and read at the same client cost.
type client struct {
	nc net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

func dial(port int) (*client, error) {
	nc, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{nc: nc, br: bufio.NewReaderSize(nc, 64<<10), bw: bufio.NewWriterSize(nc, 64<<10)}, nil
}

func (c *client) close() { _ = c.nc.Close() }

// send buffers one command; flush sends everything buffered.
func (c *client) send(argv ...[]byte) {
	c.bw.WriteByte('*')
	c.bw.WriteString(strconv.Itoa(len(argv)))
	c.bw.WriteString("\r\n")
	for _, a := range argv {
		c.bw.WriteByte('$')
		c.bw.WriteString(strconv.Itoa(len(a)))
		c.bw.WriteString("\r\n")
		c.bw.Write(a)
		c.bw.WriteString("\r\n")
	}
}

func (c *client) flush() error { return c.bw.Flush() }

// reply reads one reply. A bulk string's bytes are returned (valid until
// the next read); an error reply is returned as an error.
func (c *client) reply() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 {
		return nil, fmt.Errorf("short reply line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+', ':':
		return nil, nil
	case '-':
		return nil, fmt.Errorf("server error: %s", body)
	case '$':
		n, err := strconv.Atoi(string(body))
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.br, buf); err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

// do sends one command and waits for its reply.
func (c *client) do(argv ...string) ([]byte, error) {
	bs := make([][]byte, len(argv))
	for i, a := range argv {
		bs[i] = []byte(a)
	}
	c.send(bs...)
	if err := c.flush(); err != nil {
		return nil, err
	}
	return c.reply()
}
