package letts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// The example Go mission (examples/go/mission) under a real devserver.

func TestGoMissionSuccessWithOutput(t *testing.T) {
	ctx := context.Background()
	c := goSrv.Client()
	var progress []float64
	res, err := c.Run(ctx, job("go_mission", map[string]any{"steps": 3, "text": "made in Go\n"}),
		letts.WithProgress(func(v *float64, _ string) { progress = append(progress, *v) }))
	if err != nil {
		t.Fatal(err)
	}
	var ret struct {
		Steps      int
		Lane       string
		Standalone bool
	}
	if err := res.Decode(&ret); err != nil || ret.Steps != 3 || ret.Lane != "default" || ret.Standalone {
		t.Fatalf("unexpected return %s (%v)", res.Return, err)
	}
	if len(progress) != 3 || progress[2] != 1 {
		t.Fatalf("expected 3 progress events ending at 1, got %v", progress)
	}
	data, err := c.DownloadOutput(ctx, res, "result")
	if err != nil || string(data) != "made in Go\n" {
		t.Fatalf("output: got %q %v", data, err)
	}
}

func TestGoMissionFails(t *testing.T) {
	_, err := goSrv.Client().Run(context.Background(), job("go_mission", map[string]any{"steps": 1, "fail": "no luck"}))
	var e *letts.Error
	if !errors.Is(err, letts.ErrMissionFailed) || !errors.As(err, &e) {
		t.Fatalf("expected ErrMissionFailed, got %v", err)
	}
	r := e.Result
	if r.Outcome != "failed" || r.FailReason != "asked" || r.FailMessage != "no luck" ||
		string(r.FailDetails) != `{"steps":1}` || r.ExitCode == nil || *r.ExitCode != 3 {
		t.Fatalf("unexpected failed result %+v", r)
	}
}

// Killed by dugdale (SIGTERM): the mission's context is cancelled, it
// reports where it stopped and exits with 128 + 15.
func TestGoMissionCancelledByKill(t *testing.T) {
	ctx := context.Background()
	c := goSrv.Client()
	id, err := c.Dispatch(ctx, job("go_mission", map[string]any{"steps": 600, "delay_ms": 100}))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "a progress event of the Go mission", func() bool {
		seen := false
		_ = c.FollowEvents(ctx, host, id, 0, false, func(e letts.Event) error {
			seen = seen || e.Event == "progress"
			return nil
		})
		return seen
	})
	if err := c.Kill(ctx, host, id, "TERM"); err != nil {
		t.Fatal(err)
	}
	res, err := c.Wait(ctx, host, id, letts.WithoutFailureAsError(), letts.WithLogs(), letts.WithWaitTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != "killed" {
		t.Fatalf("expected outcome killed, got %+v", res)
	}
	// The mission saw SIGTERM through its context and ended itself with
	// 128 + 15 (killed by the signal instead, it would have no exit code
	// and signal TERM).
	if res.ExitCode == nil || *res.ExitCode != 143 || res.Signal != "" {
		t.Fatalf("expected the mission to exit 143 on its own, got %+v", res)
	}
}

func TestGoMissionStandalone(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(goMission, `--input={"steps":2,"text":"standalone\n"}`)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "LETTS_MISSION_ID=")
	if err := cmd.Run(); err != nil {
		t.Fatalf("standalone run: %v (stderr %q)", err, stderr.String())
	}
	var ret map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &ret); err != nil || ret["standalone"] != true || ret["steps"] != 2.0 {
		t.Fatalf("expected the return on stdout, got %q (%v)", stdout.String(), err)
	}
	if !strings.Contains(stderr.String(), "[progress] 1.00 step 2") {
		t.Fatalf("expected progress on stderr, got %q", stderr.String())
	}
	out, err := os.ReadFile(filepath.Join(dir, "out", "result"))
	if err != nil || string(out) != "standalone\n" {
		t.Fatalf("expected ./out/result, got %q %v", out, err)
	}

	cmd = exec.Command(goMission, `--input={"fail":"standalone failure"}`)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LETTS_MISSION_ID=")
	stderr.Reset()
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(stderr.String(), "standalone failure") {
		t.Fatalf("expected exit 3 with the message on stderr, got %v %q", err, stderr.String())
	}

	// SIGINT on a standalone run: the context is cancelled, exit 128 + 2.
	cmd = exec.Command(goMission, `--input={"steps":600,"delay_ms":100}`)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LETTS_MISSION_ID=")
	var progress syncBuffer
	cmd.Stderr = &progress
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the first progress line", func() bool { return strings.Contains(progress.String(), "[progress]") })
	cmd.Process.Signal(os.Interrupt)
	err = cmd.Wait()
	if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(progress.String(), "interrupted by signal 2") {
		t.Fatalf("expected exit 130 after SIGINT, got %v %q", err, progress.String())
	}
}

// The service example runs its three steps against an embedded devserver.
func TestServiceExample(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "service")
	build := exec.Command("go", "build", "-o", bin, "./service")
	build.Dir = filepath.Join("..", "..", "examples", "go")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/go/service: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-missions", missionDir, "-steps", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("service: %v\n%s", err, out)
	}
	for _, want := range []string{"hello success: {\"greeting\":\"hello from Go\"}", "progress  50% step 1",
		"progress 100% step 2", "running progress", "progress success", "job 2 on devserver: success {\"n\":2}"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("expected %q in the output:\n%s", want, out)
		}
	}
}

// Ctrl-C during the service's run: the context cancels the call, the
// mission is killed with it, the program exits 130 at once.
func TestServiceExampleCtrlC(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "service")
	build := exec.Command("go", "build", "-o", bin, "./service")
	build.Dir = filepath.Join("..", "..", "examples", "go")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/go/service: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-missions", missionDir, "-slow", "30")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, 20*time.Second, "the service running interruptible", func() bool {
		return strings.Contains(out.String(), "running interruptible")
	})
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(out.String(), "service: stopped:") {
		t.Fatalf("expected exit 130 with \"stopped\", got %v:\n%s", err, out.String())
	}
	if took := time.Since(sent); took > 2*time.Second {
		t.Fatalf("expected the service to stop promptly, took %v", took)
	}
}
