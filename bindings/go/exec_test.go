package letts_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	letts "github.com/letts-project/libletts/bindings/go"
	"github.com/letts-project/libletts/bindings/go/devserver"
)

// execServer starts a devserver with exec enabled (lane "default") and
// returns it with a client whose letts.yaml has an exec and an admin token
// but no dispatch token, so every exec read must use the exec token.
func execServer(t *testing.T) (*devserver.Server, *letts.Client) {
	t.Helper()
	data := t.TempDir()
	yaml := fmt.Sprintf("listen: 127.0.0.1:0\ndata_dir: %s\nauth:\n  tokens: [dispatch-token]\n"+
		"admin:\n  tokens: [admin-token]\nexec:\n  enabled: true\n  tokens: [exec-token]\n", data)
	s, err := devserver.Start(devserver.Options{ConfigYAML: yaml, MissionDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cfg := fmt.Sprintf("auth: {exec_token: exec-token, admin_token: admin-token}\n"+
		"dugdales:\n  - id: %s\n    url: %q\n    lanes: {default: {concurrency: 2}}\n", host, s.URL())
	c, err := letts.OpenYAML(cfg, "exec.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	apply := map[string]any{"mission_dir": t.TempDir(), "lanes": map[string]any{"default": map[string]any{"concurrency": 2}}}
	if _, err := c.AdminApply(context.Background(), host, apply); err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestExecRunAndDispatch(t *testing.T) {
	ctx := context.Background()
	_, c := execServer(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "s.sh")
	if err := os.WriteFile(script, []byte("tr a-z A-Z < \"$LETTS_IN_doc\" > \"$LETTS_OUT_res\"\ncat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "doc.txt")
	if err := os.WriteFile(doc, []byte("go exec\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := c.ExecRun(ctx, letts.ExecSpec{
		Host: host, Lane: "default", Command: []string{"sh", "-e", "script/script"},
		ScriptFile: script, In: []letts.ExecFile{{Key: "doc", Path: doc}}, Out: []string{"res"},
		Stdin: []byte("from stdin\n"),
	}, letts.WithLogs())
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "exec" || res.ExitCode == nil || *res.ExitCode != 0 || string(res.Stdout) != "from stdin\n" {
		t.Fatalf("result %+v", res)
	}
	out, err := c.DownloadOutput(ctx, res, "res")
	if err != nil || string(out) != "GO EXEC\n" {
		t.Fatalf("output %q, %v", out, err)
	}

	// A failing exit: MissionFailed with the result and its exit code.
	failed, err := c.ExecRun(ctx, letts.ExecSpec{Host: host, Lane: "default", Command: []string{"false"}})
	var le *letts.Error
	if !errors.As(err, &le) || le.Status != letts.StatusMissionFailed || failed == nil || *failed.ExitCode != 1 {
		t.Fatalf("false: %v, %+v", err, failed)
	}

	// Dispatch, wait, get: display name stored, kind exec.
	id, err := c.ExecDispatch(ctx, letts.ExecSpec{Host: host, Lane: "default", Command: []string{"true"}, DisplayName: "go true"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecWait(ctx, host, id); err != nil {
		t.Fatal(err)
	}
	info, err := c.ExecGet(ctx, host, id)
	if err != nil || info == nil || info.Kind != "exec" || info.DisplayName != "go true" || info.Status != "done" {
		t.Fatalf("get: %+v, %v", info, err)
	}

	// Its stream and events with the exec token.
	var stdout strings.Builder
	if err := c.ExecStreamOutput(ctx, host, res.MissionID, "stdout", false, &stdout); err != nil || stdout.String() != "from stdin\n" {
		t.Fatalf("stdout %q, %v", stdout.String(), err)
	}
	var kinds []string
	err = c.ExecFollowEvents(ctx, host, id, 0, true, func(ev letts.Event) error {
		kinds = append(kinds, ev.Event)
		return nil
	})
	if err != nil || len(kinds) < 2 || kinds[0] != "queued" || kinds[len(kinds)-1] != "done" {
		t.Fatalf("events %v, %v", kinds, err)
	}
}

func TestExecWithoutExecToken(t *testing.T) {
	_, err := client.ExecDispatch(context.Background(), letts.ExecSpec{Host: host, Lane: "default", Command: []string{"true"}})
	var le *letts.Error
	if !errors.As(err, &le) || le.Status != letts.StatusConfig || !strings.Contains(le.Message, "auth.exec_token") {
		t.Fatalf("want a config error naming auth.exec_token, got %v", err)
	}
}
