package letts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

func TestVersion(t *testing.T) {
	if v := letts.Version(); !strings.HasPrefix(v, "0.") {
		t.Fatalf("expected the library version 0.x, got %q", v)
	}
}

func TestOpenDiscoverConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "letts.yaml")
	// A plain-text token needs mode 0600.
	if err := os.WriteFile(path, []byte(srv.ClientConfig()), 0o600); err != nil {
		t.Fatal(err)
	}
	opened, err := letts.Open(path, &letts.Options{UserAgent: "letts-go-test", RetryBackoff: []time.Duration{time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	var cfg struct {
		Dugdales []struct{ ID string }
	}
	if err := json.Unmarshal(opened.ConfigJSON(), &cfg); err != nil || len(cfg.Dugdales) != 1 || cfg.Dugdales[0].ID != host {
		t.Fatalf("ConfigJSON: expected dugdale %s, got %s (%v)", host, opened.ConfigJSON(), err)
	}
	if _, err := opened.Healthz(context.Background(), host); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LETTS_CONFIG", path)
	found, err := letts.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer found.Close()
	if ids, err := found.Dugdales(); err != nil || !reflect.DeepEqual(ids, []string{host}) {
		t.Fatalf("Discover through LETTS_CONFIG: got %v %v", ids, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := letts.Open(path, nil); !errors.Is(err, letts.ErrConfig) {
		t.Fatalf("token in a world-readable file: expected ErrConfig, got %v", err)
	}
	insecure, err := letts.Open(path, &letts.Options{InsecureConfigPermissions: true})
	if err != nil {
		t.Fatalf("InsecureConfigPermissions: %v", err)
	}
	insecure.Close()
}

func TestRunWithProgress(t *testing.T) {
	var got []string
	res, err := client.Run(context.Background(), job("progress", map[string]any{"steps": 4}),
		letts.WithProgress(func(v *float64, msg string) {
			if v == nil {
				got = append(got, "nil "+msg)
				return
			}
			got = append(got, fmt.Sprintf("%.2f %s", *v, msg))
		}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0.25 step 1", "0.50 step 2", "0.75 step 3", "1.00 step 4"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("progress: expected %v, got %v", want, got)
	}
	if !res.Success() || res.Host != host || res.MissionID == "" || res.ExitCode == nil || *res.ExitCode != 0 {
		t.Fatalf("unexpected result %+v", res)
	}
	var ret struct{ Steps int }
	if err := res.Decode(&ret); err != nil || ret.Steps != 4 {
		t.Fatalf("return: expected steps 4, got %+v (%v)", ret, err)
	}
	if res.TimeFinished.IsZero() {
		t.Fatal("expected a finish time")
	}
}

func TestDispatchWaitGetMission(t *testing.T) {
	ctx := context.Background()
	id, err := client.Dispatch(ctx, job("hello", map[string]any{"name": "ada"}))
	if err != nil || id == "" {
		t.Fatalf("dispatch: %q %v", id, err)
	}
	res, err := client.Wait(ctx, host, id)
	if err != nil {
		t.Fatal(err)
	}
	if res.MissionID != id || string(res.Return) != `{"name":"ada"}` {
		t.Fatalf("wait: unexpected result %+v", res)
	}
	for _, h := range []string{host, ""} {
		m, err := client.GetMission(ctx, h, id)
		if err != nil || m == nil {
			t.Fatalf("GetMission(%q): %v %v", h, m, err)
		}
		if m.MissionID != id || m.MissionName != "hello" || m.Lane != "default" || m.Status != "done" ||
			m.Outcome != "success" || string(m.Input) != `{"name":"ada"}` || m.TimeCreated == 0 {
			t.Fatalf("GetMission(%q): unexpected %+v", h, m)
		}
	}
	m, err := client.GetMission(ctx, host, "01a00000-0000-7000-8000-000000000000")
	if err != nil || m != nil {
		t.Fatalf("unknown mission: expected nil, nil; got %v, %v", m, err)
	}
}

func TestIdempotentDispatch(t *testing.T) {
	ctx := context.Background()
	j := job("hello", map[string]any{"n": 1})
	j.MissionID = "01a20000-0000-7000-8000-00000000beef"
	id1, err := client.Dispatch(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	id2, err := client.Dispatch(ctx, j)
	if err != nil || id1 != id2 || id1 != j.MissionID {
		t.Fatalf("same id and payload: expected %s twice, got %s, %s (%v)", j.MissionID, id1, id2, err)
	}
}

func TestTryDispatchAndFailureObserver(t *testing.T) {
	ctx := context.Background()
	var seen []letts.LaunchFailure
	observed, err := client.WithFailureObserver(func(f letts.LaunchFailure) { seen = append(seen, f) })
	if err != nil {
		t.Fatal(err)
	}
	defer observed.Close()

	id, ok, err := observed.TryDispatch(ctx, job("hello", nil))
	if err != nil || !ok || id == "" {
		t.Fatalf("try-dispatch: expected an id, got %q %v %v", id, ok, err)
	}
	bad := letts.Job{Mission: "hello", Host: "nowhere", Lane: "default"}
	id, ok, err = observed.TryDispatch(ctx, bad)
	if err != nil || ok || id != "" {
		t.Fatalf("failed try-dispatch: expected (\"\", false, nil), got %q %v %v", id, ok, err)
	}
	_, err = observed.Dispatch(ctx, bad)
	if !errors.Is(err, letts.ErrConfig) {
		t.Fatalf("dispatch to an unknown host: expected ErrConfig, got %v", err)
	}
	if len(seen) != 2 || seen[0].Method != "tryDispatch" || seen[1].Method != "dispatch" {
		t.Fatalf("observer: expected tryDispatch then dispatch, got %+v", seen)
	}
	f := seen[1]
	if f.Phase != "dispatch" || f.Mission != "hello" || f.MissionID == "" || f.Err == nil ||
		f.Err.Status != letts.StatusConfig || !bytes.Contains(f.Launch, []byte(`"nowhere"`)) {
		t.Fatalf("unexpected launch failure %+v (err %+v)", f, f.Err)
	}
	// The observer survives the client it came from in a WithMatch copy.
	copied, err := observed.WithMatch()
	if err != nil {
		t.Fatal(err)
	}
	observed.Close()
	if _, ok, _ := copied.TryDispatch(ctx, bad); ok {
		t.Fatal("expected the failed launch to fail")
	}
	copied.Close()
	if len(seen) != 3 {
		t.Fatalf("expected the copy to keep the observer, got %d reports", len(seen))
	}
	if _, err := observed.Dispatch(ctx, bad); !errors.Is(err, letts.ErrClosed) {
		t.Fatalf("closed client: expected ErrClosed, got %v", err)
	}
}

func TestMissionFailed(t *testing.T) {
	ctx := context.Background()
	in := map[string]any{"message": "upstream said no", "reason": "upstream", "exit_code": 3,
		"details": map[string]any{"code": 503}}
	res, err := client.Run(ctx, job("fail", in))
	var e *letts.Error
	if !errors.Is(err, letts.ErrMissionFailed) || !errors.As(err, &e) {
		t.Fatalf("expected ErrMissionFailed, got %v", err)
	}
	if e.Result == nil || res == nil || e.Result.MissionID != res.MissionID || e.MissionID != res.MissionID {
		t.Fatalf("expected the result on the error and returned, got %+v / %+v", e.Result, res)
	}
	if res.Outcome != "failed" || res.FailReason != "upstream" || res.FailMessage != "upstream said no" ||
		string(res.FailDetails) != `{"code":503}` || res.ExitCode == nil || *res.ExitCode != 3 {
		t.Fatalf("unexpected failed result %+v", res)
	}
	res, err = client.Run(ctx, job("fail", in), letts.WithoutFailureAsError())
	if err != nil || res.Success() || res.FailReason != "upstream" {
		t.Fatalf("without failure as error: expected a failed result and no error, got %+v %v", res, err)
	}
}

func TestCrashIsAFailedResult(t *testing.T) {
	res, err := client.Run(context.Background(), job("crash", map[string]any{"crash": "abort"}), letts.WithoutFailureAsError())
	if err != nil || res.Outcome != "failed" || res.Signal != "ABRT" {
		t.Fatalf("expected failed by ABRT, got %+v %v", res, err)
	}
}

func TestListMissions(t *testing.T) {
	ctx := context.Background()
	lane := "default"
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		res, err := client.Run(ctx, job("hello", map[string]any{"list": i}))
		if err != nil {
			t.Fatal(err)
		}
		want[res.MissionID] = true
	}
	page, err := client.ListMissionsPage(ctx, host, letts.ListFilter{Lane: lane, Mission: "hello", Limit: 2})
	if err != nil || len(page.Missions) != 2 || page.NextCursor == "" {
		t.Fatalf("first page: expected 2 missions and a cursor, got %+v %v", page, err)
	}
	it := client.ListMissions(host, letts.ListFilter{Lane: lane, Mission: "hello", Status: "done", Limit: 2})
	n := 0
	for it.Next(ctx) {
		m := it.Mission()
		if m.MissionName != "hello" || m.Status != "done" {
			t.Fatalf("filter not applied: %+v", m)
		}
		delete(want, m.MissionID)
		n++
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) != 0 || n < 5 {
		t.Fatalf("iterator: expected every mission over the pages, %d left after %d", len(want), n)
	}
	_, err = client.ListMissionsPage(ctx, "", letts.ListFilter{})
	if !errors.Is(err, letts.ErrBadRequest) {
		t.Fatalf("list without a host: expected ErrBadRequest, got %v", err)
	}
	_, err = client.ListMissionsPage(ctx, host, letts.ListFilter{Order: "sideways"})
	if !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("bad order: expected ErrInvalidArgument, got %v", err)
	}
}

func TestKillRestartDelete(t *testing.T) {
	ctx := context.Background()
	id, err := client.Dispatch(ctx, job("interruptible", map[string]any{"seconds": 30}))
	if err != nil {
		t.Fatal(err)
	}
	defer killQuietly(id)
	waitRunning(t, id)
	if err := client.Delete(ctx, host, id, false); !errors.Is(err, letts.ErrConflict) {
		t.Fatalf("delete running without force: expected ErrConflict, got %v", err)
	}
	if err := client.Kill(ctx, host, id, ""); err != nil {
		t.Fatal(err)
	}
	res, err := client.Wait(ctx, host, id, letts.WithoutFailureAsError())
	if err != nil || res.Outcome != "killed" {
		t.Fatalf("expected killed, got %+v %v", res, err)
	}
	if err := client.Kill(ctx, host, id, ""); !errors.Is(err, letts.ErrConflict) {
		t.Fatalf("kill a finished mission: expected ErrConflict, got %v", err)
	}
	newID, err := client.Restart(ctx, host, id)
	if err != nil || newID == "" || newID == id {
		t.Fatalf("restart: expected a new id, got %q %v", newID, err)
	}
	defer killQuietly(newID)
	m, err := client.GetMission(ctx, host, newID)
	if err != nil || m == nil || m.RestartedFrom != id {
		t.Fatalf("restarted mission: expected restarted_from %s, got %+v %v", id, m, err)
	}
	if err := client.Delete(ctx, host, newID, true); err != nil {
		t.Fatalf("forced delete: %v", err)
	}
	if err := client.Delete(ctx, host, id, false); err != nil {
		t.Fatalf("delete: %v", err)
	}
	waitFor(t, 10*time.Second, "the deleted mission gone", func() bool {
		m, err := client.GetMission(ctx, host, id)
		return err == nil && m == nil
	})
}

func TestFollowEventsAndStreamOutput(t *testing.T) {
	ctx := context.Background()
	res, err := client.Run(ctx, job("progress", map[string]any{"steps": 3}))
	if err != nil {
		t.Fatal(err)
	}
	var events []letts.Event
	err = client.FollowEvents(ctx, host, res.MissionID, 0, true, func(e letts.Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Event)
	}
	if len(events) < 4 || kinds[len(kinds)-1] != "done" || events[len(events)-1].Seq <= events[0].Seq {
		t.Fatalf("expected progress events then done in seq order, got %v", kinds)
	}
	from := events[len(events)-2].Seq
	var rest []letts.Event
	if err := client.FollowEvents(ctx, host, res.MissionID, from, false, func(e letts.Event) error {
		rest = append(rest, e)
		return nil
	}); err != nil || len(rest) != 1 || rest[0].Event != "done" {
		t.Fatalf("from %d: expected only done, got %v %v", from, rest, err)
	}
	stop := errors.New("enough")
	n := 0
	err = client.FollowEvents(ctx, host, res.MissionID, 0, true, func(letts.Event) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("a handler error stops the stream and is returned: got %v after %d events", err, n)
	}

	// The Go example mission writes a line on stderr.
	gc := goSrv.Client()
	logged, err := gc.Run(ctx, job("go_mission", map[string]any{"steps": 2}), letts.WithLogs())
	if err != nil {
		t.Fatal(err)
	}
	if string(logged.Stderr) != "go_mission: 2 steps of 0 ms\n" || len(logged.Stdout) != 0 {
		t.Fatalf("fetched logs: unexpected stdout %q, stderr %q", logged.Stdout, logged.Stderr)
	}
	var out bytes.Buffer
	if err := gc.StreamOutput(ctx, host, logged.MissionID, "stderr", false, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(logged.Stderr) {
		t.Fatalf("stderr stream: expected %q, got %q", logged.Stderr, out.String())
	}
	out.Reset()
	if err := gc.StreamOutput(ctx, host, logged.MissionID, "combined", true, &out); err != nil ||
		!strings.Contains(out.String(), "go_mission: 2 steps") {
		t.Fatalf("combined stream: got %q %v", out.String(), err)
	}
	failed := logged
	if err := client.StreamOutput(ctx, host, failed.MissionID, "sideways", false, &out); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("bad stream: expected ErrInvalidArgument, got %v", err)
	}
}

func TestOutputsAndInputFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	res, err := client.Run(ctx, job("output_file", map[string]any{"text": "line\n", "repeat": 3}),
		letts.WithOutputsFolder(filepath.Join(dir, "out")))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := res.Output("result")
	if !ok || o.Size != 15 || o.StagingID == "" {
		t.Fatalf("expected output result of 15 bytes, got %+v", res.Outputs)
	}
	data, err := client.DownloadOutput(ctx, res, "result")
	if err != nil || string(data) != "line\nline\nline\n" {
		t.Fatalf("download: got %q %v", data, err)
	}
	onDisk, err := os.ReadFile(filepath.Join(dir, "out", "result"))
	if err != nil || string(onDisk) != string(data) {
		t.Fatalf("outputs folder: got %q %v", onDisk, err)
	}
	if _, err := client.DownloadOutput(ctx, res, "nope"); !errors.Is(err, letts.ErrBadRequest) {
		t.Fatalf("unknown output: expected ErrBadRequest, got %v", err)
	}
	tampered := *res
	tampered.Outputs = []letts.Output{o}
	tampered.Outputs[0].SHA256 = strings.Repeat("0", 64)
	if _, err := client.DownloadOutput(ctx, &tampered, "result"); !errors.Is(err, letts.ErrStaging) {
		t.Fatalf("wrong sha256: expected ErrStaging, got %v", err)
	}

	doc := filepath.Join(dir, "doc.txt")
	content := []byte("one\ntwo\nthree\n")
	if err := os.WriteFile(doc, content, 0o644); err != nil {
		t.Fatal(err)
	}
	j := job("input_file", map[string]any{"role": "doc"})
	j.Files = map[string]string{"doc": doc}
	res, err = client.Run(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	var ret struct {
		Size   int64
		SHA256 string
		Lines  int
	}
	sum := sha256.Sum256(content)
	if err := res.Decode(&ret); err != nil || ret.Size != int64(len(content)) || ret.Lines != 3 ||
		ret.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("input file: unexpected return %s (%v)", res.Return, err)
	}
	j.Files = map[string]string{"doc": filepath.Join(dir, "missing")}
	if _, err := client.Dispatch(ctx, j); !errors.Is(err, letts.ErrStaging) {
		t.Fatalf("missing input file: expected ErrStaging, got %v", err)
	}
}

func TestFanOutAndLabels(t *testing.T) {
	ctx := context.Background()
	yaml := configYAML(srv.URL(), srv.DispatchToken(), srv.AdminToken(), map[string][]string{
		"cpu-one": {"cpu"}, "gpu-one": {"gpu", "fast"}, "gpu-two": {"gpu"},
	})
	c := openClient(t, yaml, nil)
	ids, err := c.Dugdales("gpu")
	if err != nil || !reflect.DeepEqual(ids, []string{"gpu-one", "gpu-two"}) {
		t.Fatalf("Dugdales(gpu): got %v %v", ids, err)
	}
	results, err := c.RunOnAll(ctx, letts.Job{Mission: "hello", Lane: "default", Match: []string{"gpu"}})
	if err != nil || len(results) != 2 {
		t.Fatalf("RunOnAll: expected 2 results, got %+v %v", results, err)
	}
	hosts := []string{results[0].Host, results[1].Host}
	sortStrings(hosts)
	if !reflect.DeepEqual(hosts, []string{"gpu-one", "gpu-two"}) || !results[0].Success() || !results[1].Success() {
		t.Fatalf("RunOnAll: unexpected %+v", results)
	}
	fast, err := c.WithMatch("fast")
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	res, err := fast.Run(ctx, letts.Job{Mission: "hello", Lane: "default"})
	if err != nil || res.Host != "gpu-one" {
		t.Fatalf("WithMatch(fast): expected gpu-one, got %+v %v", res, err)
	}
	results, err = c.RunParallel(ctx, []letts.Job{
		{Mission: "hello", Host: "cpu-one", Lane: "default", Input: map[string]any{"i": 0}},
		{Mission: "fail", Host: "gpu-two", Lane: "default"},
		{Mission: "hello", Match: []string{"gpu"}, Lane: "default", Input: map[string]any{"i": 2}},
	})
	if err != nil || len(results) != 3 {
		t.Fatalf("RunParallel: %+v %v", results, err)
	}
	if !results[0].Success() || string(results[0].Result.Return) != `{"i":0}` ||
		!results[1].Reachable() || results[1].Success() || results[1].Result.Outcome != "failed" ||
		!results[2].Success() || !strings.HasPrefix(results[2].Host, "gpu-") {
		t.Fatalf("RunParallel: unexpected %+v", results)
	}
	_, err = c.RunParallel(ctx, []letts.Job{{Mission: "hello", Match: []string{"tpu"}, Lane: "default"}})
	if !errors.Is(err, letts.ErrNoMatchingDugdale) {
		t.Fatalf("RunParallel without a match: expected ErrNoMatchingDugdale, got %v", err)
	}
}

func TestDugdaleOperations(t *testing.T) {
	ctx := context.Background()
	if ids, err := client.Dugdales(); err != nil || !reflect.DeepEqual(ids, []string{host}) {
		t.Fatalf("Dugdales(): got %v %v", ids, err)
	}
	info, err := client.DugdaleInfo(ctx, host)
	var doc map[string]any
	if err != nil || json.Unmarshal(info, &doc) != nil || doc["version"] == nil {
		t.Fatalf("DugdaleInfo: expected a document with a version, got %s %v", info, err)
	}
	if _, err := client.Healthz(ctx, host); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Readyz(ctx, host); err != nil {
		t.Fatal(err)
	}
	paused := func() bool {
		lanes, err := client.Lanes(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lanes {
			if l.Name == "default" {
				if l.Concurrency != 4 {
					t.Fatalf("lane default: expected concurrency 4, got %+v", l)
				}
				return l.Paused
			}
		}
		t.Fatalf("no lane default in %+v", lanes)
		return false
	}
	if paused() {
		t.Fatal("expected lane default running")
	}
	if err := client.PauseLane(ctx, host, "default"); err != nil {
		t.Fatal(err)
	}
	if !paused() {
		t.Fatal("expected lane default paused")
	}
	if err := client.ContinueLane(ctx, host, "default"); err != nil {
		t.Fatal(err)
	}
	if paused() {
		t.Fatal("expected lane default continued")
	}
	if err := client.PauseLane(ctx, host, "no-such-lane"); err == nil {
		t.Fatal("expected pausing an unknown lane to fail")
	}
	state, err := client.AdminState(ctx, host)
	var st struct{ State json.RawMessage }
	if err != nil || json.Unmarshal(state, &st) != nil || len(st.State) == 0 {
		t.Fatalf("AdminState: expected an applied state, got %s %v", state, err)
	}
	if _, err := client.AdminApply(ctx, host, st.State); err != nil {
		t.Fatalf("AdminApply of the current state: %v", err)
	}
	if _, err := client.AdminApply(ctx, host, map[string]any{"lanes": 5}); !errors.Is(err, letts.ErrBadRequest) {
		t.Fatalf("AdminApply of a bad document: expected ErrBadRequest, got %v", err)
	}
}

// Fifty goroutines share one client: runs, dispatches and lookups at once,
// each checking that it got its own answer.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var progress int
			res, err := client.Run(ctx, job("progress", map[string]any{"steps": 2, "g": g}),
				letts.WithProgress(func(*float64, string) { progress++ }))
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: run: %w", g, err)
				return
			}
			if progress != 2 || !res.Success() {
				errs <- fmt.Errorf("goroutine %d: %d progress events, result %+v", g, progress, res)
				return
			}
			id, err := client.Dispatch(ctx, job("hello", map[string]any{"g": g}))
			if err != nil {
				errs <- fmt.Errorf("goroutine %d: dispatch: %w", g, err)
				return
			}
			res, err = client.Wait(ctx, host, id)
			if err != nil || string(res.Return) != fmt.Sprintf(`{"g":%d}`, g) {
				errs <- fmt.Errorf("goroutine %d: wait: %v %v", g, res, err)
				return
			}
			m, err := client.GetMission(ctx, host, id)
			if err != nil || m == nil || m.MissionID != id {
				errs <- fmt.Errorf("goroutine %d: get: %v %v", g, m, err)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
