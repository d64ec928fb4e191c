package redlite_test

import (
	"context"
	"fmt"

	redlite "github.com/redlite/redlite/bindings/go"
)

// Subscribe to channels and patterns and read messages in a loop. Messages
// reach subscribers in this process at once; subscribers in other
// processes on the same file receive them too.
func ExampleDB_Subscribe() {
	ctx := context.Background()
	db, err := redlite.Open(redlite.Memory)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	sub, err := db.Subscribe(ctx, "orders")
	if err != nil {
		panic(err)
	}
	defer sub.Close()
	if err := sub.PSubscribe(ctx, "alerts:*"); err != nil {
		panic(err)
	}

	go func() {
		_, _ = db.Publish(ctx, "orders", "order 1 placed")
		_, _ = db.Publish(ctx, "alerts:disk", "disk 91% full")
		_, _ = db.Publish(ctx, "orders", "stop")
	}()

	for msg := range sub.Channel() {
		if msg.Payload == "stop" {
			break
		}
		if msg.Pattern != "" {
			fmt.Printf("%s (via %s): %s\n", msg.Channel, msg.Pattern, msg.Payload)
			continue
		}
		fmt.Printf("%s: %s\n", msg.Channel, msg.Payload)
	}
	// Output:
	// orders: order 1 placed
	// alerts:disk (via alerts:*): disk 91% full
}
