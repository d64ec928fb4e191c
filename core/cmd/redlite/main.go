// Command redlite serves a redlite database over the Redis protocol.
//
//	redlite --db ./redlite.db --addr 127.0.0.1:6379
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/redlite/redlite/core"
	"github.com/redlite/redlite/core/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "redlite:", err)
		os.Exit(1)
	}
}

func run(argv []string) error {
	fs := flag.NewFlagSet("redlite", flag.ContinueOnError)
	dbPath := fs.String("db", "./redlite.db", "database file")
	addr := fs.String("addr", "127.0.0.1:6379", "listen address")
	password := fs.String("password", "", "require clients to AUTH with this password")
	storage := fs.String("storage", "file", "file (the --db path) or memory (nothing is kept after exit)")
	cacheMB := fs.Int("cache-mb", 16, "SQLite page cache of the writer connection, in MiB")
	readerCacheMB := fs.Int("reader-cache-mb", 8, "SQLite page cache of each reader connection, in MiB")
	readerMmapMB := fs.Int("reader-mmap-mb", 0, "let each reader connection read this many MiB of the file through a memory map (0: off)")
	durability := fs.String("durability", "normal", "normal (survives a process crash) or full (fsync every commit: survives power loss)")
	protected := fs.String("protected-mode", "yes", "yes: without a password accept loopback clients only")
	version := fs.Bool("version", false, "print the version and exit")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file until shutdown (for benchmarks)")
	if err := fs.Parse(argv); err != nil {
		return err
	}
	if *version {
		fmt.Printf("redlite %s (Redis %s compatible)\n", core.Version, core.RedisVersion)
		return nil
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}
	dur, err := core.ParseDurability(*durability)
	if err != nil {
		return err
	}
	path := *dbPath
	switch *storage {
	case "file":
	case "memory":
		path = core.MemoryPath
	default:
		return fmt.Errorf("--storage must be file or memory, not %q", *storage)
	}
	db, err := core.Open(core.Options{Path: path, Durability: dur, CacheMB: *cacheMB, ReaderCacheMB: *readerCacheMB,
		ReaderMmapMB: *readerMmapMB})
	if err != nil {
		return err
	}
	if err := db.Config.Set("protected-mode", *protected); err != nil {
		return err
	}
	srv, err := server.New(db, server.Options{Addr: *addr, Password: *password})
	if err != nil {
		return err
	}
	la, err := srv.Listen()
	if err != nil {
		_ = db.Close()
		return err
	}
	log.Printf("redlite %s serving %s on %s (durability %s)", core.Version, path, la, dur)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case sig := <-sigs:
		log.Printf("received %s, shutting down", sig)
	case <-srv.ShutdownRequested():
		log.Printf("SHUTDOWN requested, shutting down")
	case err := <-errc:
		_ = db.Close()
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	if err := db.Close(); err != nil {
		return err
	}
	log.Printf("bye")
	return nil
}
