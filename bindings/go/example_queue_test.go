package redlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	redlite "github.com/redlite/redlite/bindings/go"
)

// A reliable job queue: producers LPUSH jobs; each worker moves a job to
// its own processing list with BLMOVE (atomically, so a crashed worker's job
// is not lost but left in "processing") and removes it from there with LREM
// when done. BLMOVE waits for a job; cancelling the context stops the
// worker.
func ExampleDB_BLMove() {
	db, err := redlite.Open(redlite.Memory)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	var done []string
	var workers sync.WaitGroup
	for w := 0; w < 2; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for {
				job, err := db.BLMove(ctx, "jobs", "processing", "RIGHT", "LEFT", 0)
				if errors.Is(err, context.Canceled) {
					return
				}
				if err != nil {
					panic(err)
				}
				mu.Lock()
				done = append(done, job) // the work
				mu.Unlock()
				if _, err := db.LRem(context.Background(), "processing", 1, job); err != nil {
					panic(err)
				}
			}
		}()
	}

	for i := 1; i <= 3; i++ {
		_, _ = db.LPush(context.Background(), "jobs", fmt.Sprintf("job %d", i))
	}
	for {
		mu.Lock()
		n := len(done)
		mu.Unlock()
		left, _ := db.LLen(context.Background(), "processing")
		if n == 3 && left == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	workers.Wait()
	fmt.Println(len(done), "jobs done")
	// Output:
	// 3 jobs done
}
