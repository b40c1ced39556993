// Command service is the example Go service: it dispatches a mission and
// waits for it later, runs one with progress, fans work out over several
// runs at once, and stops cleanly on Ctrl-C (the context cancels the call
// in progress; the mission is killed with it).
//
//	service -config letts.yaml -host prod-1 -lane default
//	service -missions build/examples/c/missions     (an embedded devserver)
//
// With -missions it starts an embedded letts-devserver running the
// missions of that directory (hello and progress are needed).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	letts "github.com/letts-project/libletts/bindings/go"
	"github.com/letts-project/libletts/bindings/go/devserver"
)

func main() {
	config := flag.String("config", "", "letts.yaml to use")
	missions := flag.String("missions", "", "start an embedded devserver with this mission directory")
	host := flag.String("host", devserver.Host, "dugdale id")
	lane := flag.String("lane", "default", "lane")
	steps := flag.Int("steps", 4, "steps of the progress mission")
	slow := flag.Int("slow", 0, "run the interruptible mission for this many seconds instead (to try Ctrl-C)")
	flag.Parse()

	// Ctrl-C or SIGTERM cancels whatever call is in progress.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, *config, *missions, *host, *lane, *steps, *slow); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "service: stopped:", err)
			os.Exit(130)
		}
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, config, missions, host, lane string, steps, slow int) error {
	var client *letts.Client
	switch {
	case missions != "":
		srv, err := devserver.Start(devserver.Options{MissionDir: missions})
		if err != nil {
			return err
		}
		defer srv.Close()
		client = srv.Client()
		fmt.Printf("devserver at %s (missions from %s)\n", srv.URL(), missions)
	case config != "":
		c, err := letts.Open(config, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		client = c
	default:
		c, err := letts.Discover(nil)
		if err != nil {
			return err
		}
		defer c.Close()
		client = c
	}

	// 1. Fire and forget, then pick the mission up again by its id.
	id, err := client.Dispatch(ctx, letts.Job{Mission: "hello", Host: host, Lane: lane,
		Input: map[string]any{"greeting": "hello from Go"}})
	if err != nil {
		return fmt.Errorf("dispatch: %w", err)
	}
	fmt.Printf("dispatched hello: %s\n", id)
	res, err := client.Wait(ctx, host, id)
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	fmt.Printf("hello %s: %s\n", res.Outcome, res.Return)

	// 2. Run with progress; Ctrl-C kills the mission too.
	runJob := letts.Job{Mission: "progress", Host: host, Lane: lane, Input: map[string]any{"steps": steps}}
	if slow > 0 {
		runJob = letts.Job{Mission: "interruptible", Host: host, Lane: lane, Input: map[string]any{"seconds": slow}}
	}
	fmt.Printf("running %s\n", runJob.Mission)
	res, err = client.Run(ctx, runJob,
		letts.WithProgress(func(value *float64, message string) {
			if value != nil {
				fmt.Printf("  progress %3.0f%% %s\n", *value*100, message)
			}
		}),
		letts.WithKillOnCancel())
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	fmt.Printf("%s %s in %v: %s\n", runJob.Mission, res.Outcome, res.Duration, res.Return)

	// 3. Fan-out: three runs at once on one connection pool.
	jobs := make([]letts.Job, 3)
	for i := range jobs {
		jobs[i] = letts.Job{Mission: "hello", Host: host, Lane: lane, Input: map[string]any{"n": i}}
	}
	results, err := client.RunParallel(ctx, jobs, letts.WithKillOnCancel())
	if err != nil {
		return fmt.Errorf("run parallel: %w", err)
	}
	for i, r := range results {
		if r.Result == nil {
			fmt.Printf("job %d on %s: %s %s\n", i, r.Host, r.ErrorKind, r.ErrorMessage)
			continue
		}
		fmt.Printf("job %d on %s: %s %s\n", i, r.Host, r.Result.Outcome, r.Result.Return)
	}
	return nil
}
