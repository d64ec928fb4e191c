package redlite_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

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
	finished := make(chan string)
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
				// ... do the work, then acknowledge it:
				if _, err := db.LRem(context.Background(), "processing", 1, job); err != nil {
					panic(err)
				}
				finished <- job
			}
		}()
	}

	for i := 1; i <= 3; i++ {
		_, _ = db.LPush(context.Background(), "jobs", fmt.Sprintf("job %d", i))
	}
	var done []string
	for len(done) < 3 {
		done = append(done, <-finished)
	}
	stop()
	workers.Wait()
	sort.Strings(done)
	fmt.Println(done)
	left, _ := db.LLen(context.Background(), "processing")
	fmt.Println(left, "in processing")
	// Output:
	// [job 1 job 2 job 3]
	// 0 in processing
}
