package letts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// A cancelled call returns within this bound.
const promptly = time.Second

// checkCancelled asserts the error of a call whose context was cancelled
// (or timed out: want is context.Canceled or context.DeadlineExceeded).
func checkCancelled(t *testing.T, what string, err error, want error, elapsed time.Duration) *letts.Error {
	t.Helper()
	var e *letts.Error
	if !errors.Is(err, want) || !errors.Is(err, letts.ErrCancelled) || !errors.As(err, &e) {
		t.Fatalf("%s: expected an error satisfying errors.Is(%v) and ErrCancelled, got %v", what, want, err)
	}
	if elapsed > promptly {
		t.Fatalf("%s: expected the call to return within %v of the cancel, took %v", what, promptly, elapsed)
	}
	return e
}

// cancelAfter cancels ctx after d and returns when it was cancelled.
func cancelAfter(d time.Duration) (context.Context, func() time.Time) {
	ctx, cancel := context.WithCancel(context.Background())
	at := make(chan time.Time, 1)
	timer := time.AfterFunc(d, func() {
		at <- time.Now()
		cancel()
	})
	return ctx, func() time.Time {
		timer.Stop()
		cancel()
		select {
		case t := <-at:
			return t
		default:
			return time.Now()
		}
	}
}

func TestCancelDuringRun(t *testing.T) {
	base, fds := runtime.NumGoroutine(), anonFDs()
	ctx, cancelled := cancelAfter(300 * time.Millisecond)
	_, err := client.Run(ctx, job("interruptible", map[string]any{"seconds": 30}))
	e := checkCancelled(t, "run", err, context.Canceled, time.Since(cancelled()))
	if e.MissionID == "" {
		t.Fatal("expected the error to name the still running mission")
	}
	m, err := client.GetMission(context.Background(), host, e.MissionID)
	if err != nil || m == nil || m.Status != "running" {
		t.Fatalf("expected the mission to keep running after the cancel, got %+v %v", m, err)
	}
	// Resumed with Wait, then cancelled by a deadline.
	dctx, stop := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer stop()
	start := time.Now()
	_, err = client.Wait(dctx, host, e.MissionID)
	checkCancelled(t, "wait", err, context.DeadlineExceeded, time.Since(start)-300*time.Millisecond)
	killQuietly(e.MissionID)
	if _, err := client.Wait(context.Background(), host, e.MissionID, letts.WithoutFailureAsError()); err != nil {
		t.Fatal(err)
	}
	checkGoroutines(t, base)
	checkHandles(t, fds)
}

func TestCancelDuringRunKillsWhenAsked(t *testing.T) {
	ctx, cancelled := cancelAfter(300 * time.Millisecond)
	_, err := client.Run(ctx, job("interruptible", map[string]any{"seconds": 30}), letts.WithKillOnCancel())
	// The kill is made after the cancel and waits for the daemon's answer.
	var e *letts.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &e) || e.MissionID == "" {
		t.Fatalf("expected a cancelled run naming its mission, got %v", err)
	}
	if took := time.Since(cancelled()); took > promptly {
		t.Fatalf("expected the run to return within %v, took %v", promptly, took)
	}
	res, err := client.Wait(context.Background(), host, e.MissionID, letts.WithoutFailureAsError())
	if err != nil || res.Outcome != "killed" {
		t.Fatalf("expected the mission killed, got %+v %v", res, err)
	}
}

func TestCancelledBeforeTheCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Dispatch(ctx, job("hello", nil))
	checkCancelled(t, "dispatch", err, context.Canceled, 0)
	_, ok, err := client.TryDispatch(ctx, job("hello", nil))
	if ok {
		t.Fatal("expected no launch with a cancelled context")
	}
	checkCancelled(t, "try-dispatch", err, context.Canceled, 0)
}

func TestCancelDuringFollow(t *testing.T) {
	base, fds := runtime.NumGoroutine(), anonFDs()
	id, err := client.Dispatch(context.Background(), job("interruptible", map[string]any{"seconds": 30}))
	if err != nil {
		t.Fatal(err)
	}
	defer killQuietly(id)
	ctx, cancelled := cancelAfter(300 * time.Millisecond)
	events := 0
	err = client.FollowEvents(ctx, host, id, 0, true, func(letts.Event) error { events++; return nil })
	checkCancelled(t, "follow events", err, context.Canceled, time.Since(cancelled()))

	ctx, cancelled = cancelAfter(300 * time.Millisecond)
	var out strings.Builder
	err = client.StreamOutput(ctx, host, id, "combined", true, &out)
	checkCancelled(t, "stream output", err, context.Canceled, time.Since(cancelled()))
	killQuietly(id)
	if _, err := client.Wait(context.Background(), host, id, letts.WithoutFailureAsError()); err != nil {
		t.Fatal(err)
	}
	checkGoroutines(t, base)
	checkHandles(t, fds)
}

// throttledClient is a client for the shared devserver whose connections
// pass through a proxy moving about 1 MB/s each way.
func throttledClient(t *testing.T) *letts.Client {
	proxy := startThrottleProxy(t, strings.TrimPrefix(srv.URL(), "http://"), 10*1024)
	yaml := configYAML(proxy.url(), srv.DispatchToken(), srv.AdminToken(),
		map[string][]string{host: nil})
	return openClient(t, yaml, &letts.Options{RetryAttempts: 1})
}

func TestCancelDuringUpload(t *testing.T) {
	c := throttledClient(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(big, make([]byte, 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	j := job("input_file", map[string]any{"role": "doc"})
	j.Files = map[string]string{"doc": big}
	ctx, cancelled := cancelAfter(700 * time.Millisecond)
	_, err := c.Run(ctx, j)
	checkCancelled(t, "run with an upload", err, context.Canceled, time.Since(cancelled()))
}

func TestCancelDuringDownload(t *testing.T) {
	// A finished mission with an 8 MiB output, produced without the proxy.
	res, err := client.Run(context.Background(), job("output_file",
		map[string]any{"text": strings.Repeat("x", 1023) + "\n", "repeat": 8192}))
	if err != nil {
		t.Fatal(err)
	}
	c := throttledClient(t)
	fds := anonFDs()

	ctx, cancelled := cancelAfter(700 * time.Millisecond)
	data, err := c.DownloadOutput(ctx, res, "result")
	checkCancelled(t, "download into memory", err, context.Canceled, time.Since(cancelled()))
	if data != nil {
		t.Fatalf("expected no data from a cancelled download, got %d bytes", len(data))
	}

	// Wait on the finished mission downloads its outputs into a folder:
	// cancelled in the middle, it leaves no file at all (no .partial).
	dir := filepath.Join(t.TempDir(), "outputs")
	ctx, cancelled = cancelAfter(700 * time.Millisecond)
	_, err = c.Wait(ctx, host, res.MissionID, letts.WithOutputsFolder(dir))
	checkCancelled(t, "download into a folder", err, context.Canceled, time.Since(cancelled()))
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("expected no file after a cancelled download, found %v", entries)
	}
	checkHandles(t, fds)
}
