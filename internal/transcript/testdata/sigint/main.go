// Command sigint waits for Ctrl-C and exits 0: the transcript test checks
// that "go run" of such a program counts as a clean stop.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Println("waiting for Ctrl-C")
	<-ctx.Done()
	fmt.Println("stopped cleanly")
}
