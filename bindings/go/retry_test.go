package letts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/letts-project/libletts/bindings/go"
)

// flakyScript writes a shell mission into the Go devserver's mission dir
// that fails (reason "flaky") until its third attempt, counting attempts in
// a file beside it.
func flakyScript(t *testing.T, name string) {
	t.Helper()
	dir := filepath.Dir(goMission)
	counter := filepath.Join(dir, name+".count")
	body := fmt.Sprintf("#!/bin/sh\nn=$(cat '%s' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '%s'\n"+
		"if [ $n -lt 3 ]; then echo '{\"event\":\"fail\",\"message\":\"again\",\"reason\":\"flaky\"}' >&3; exit 1; fi\n"+
		"echo '{\"event\":\"success\"}' >&3\n", counter, counter)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestRetryChainsAttemptsAndReportsCompletionOnce(t *testing.T) {
	flakyScript(t, "flaky_go")
	var seen []*letts.RunResult
	observed, err := goSrv.Client().WithCompletionObserver(func(r *letts.RunResult) { seen = append(seen, r) })
	if err != nil {
		t.Fatal(err)
	}
	defer observed.Close()
	policy := letts.RetryPolicy{FailReasons: []string{"flaky"}, MaxAttempts: 4,
		Base: 100 * time.Millisecond, Cap: time.Second, Multiplier: 2, Jitter: 0.5}
	start := time.Now()
	res, err := observed.Run(context.Background(), letts.Job{Mission: "flaky_go", Host: host, Lane: "default"},
		letts.WithRetry(policy), letts.WithWaitTimeout(60*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// Pauses of at least 50 and 100 ms (jitter 0.5).
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Fatalf("expected at least 150ms of back-off, took %v", elapsed)
	}
	if !res.Success() || len(res.AttemptIDs) != 3 || res.AttemptIDs[2] != res.MissionID || res.Lane != "default" {
		t.Fatalf("unexpected result %+v", res)
	}
	for i := 1; i < 3; i++ {
		info, err := goSrv.Client().GetMission(context.Background(), host, res.AttemptIDs[i])
		if err != nil {
			t.Fatal(err)
		}
		if info.RestartedFrom != res.AttemptIDs[i-1] {
			t.Fatalf("attempt %d: restarted_from %q, expected %q", i, info.RestartedFrom, res.AttemptIDs[i-1])
		}
	}
	if len(seen) != 1 || len(seen[0].AttemptIDs) != 3 || seen[0].MissionID != res.MissionID {
		t.Fatalf("completion observer: expected one call with 3 attempts, got %+v", seen)
	}

	// A failure the policy does not list: one attempt, still reported once.
	flakyScript(t, "flaky_go_unlisted")
	res, err = observed.Run(context.Background(), letts.Job{Mission: "flaky_go_unlisted", Host: host, Lane: "default"},
		letts.WithRetry(letts.RetryPolicy{FailReasons: []string{"other"}, MaxAttempts: 3}), letts.WithoutFailureAsError())
	if err != nil || res.Outcome != "failed" || len(res.AttemptIDs) != 1 {
		t.Fatalf("expected one failed attempt, got %+v, %v", res, err)
	}
	if len(seen) != 2 || len(seen[1].AttemptIDs) != 1 {
		t.Fatalf("expected a second report with 1 attempt, got %d reports", len(seen))
	}
}

func TestVersionAndMetrics(t *testing.T) {
	v, err := client.Version(context.Background(), host)
	if err != nil || !strings.Contains(string(v), "\"version\"") {
		t.Fatalf("version: %s, %v", v, err)
	}
	if _, err := client.Metrics(context.Background(), host); err != nil {
		t.Fatal(err)
	}
}
