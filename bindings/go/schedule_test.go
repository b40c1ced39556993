package letts_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// acceptingMission writes a shell mission into the Go devserver's mission
// directory that succeeds at once; each test names its own, so that the
// missions a test counts are its own.
func acceptingMission(t *testing.T, name string) letts.Job {
	t.Helper()
	body := "#!/bin/sh\ncat >/dev/null; echo '{\"event\":\"success\"}' >&3\n"
	if err := os.WriteFile(filepath.Join(filepath.Dir(goMission), name), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return letts.Job{Mission: name, Host: host, Lane: "default"}
}

// newSchedule makes a schedule closed at the end of the test.
func newSchedule(t *testing.T) *letts.Schedule {
	t.Helper()
	s, err := letts.NewSchedule()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// missionIDsNamed lists the ids of the Go devserver's missions named
// exactly mission.
func missionIDsNamed(t *testing.T, mission string) []string {
	t.Helper()
	ctx := context.Background()
	it := goSrv.Client().ListMissions(host, letts.ListFilter{Mission: mission, Limit: 1000})
	var ids []string
	for it.Next(ctx) {
		if m := it.Mission(); m.MissionName == mission {
			ids = append(ids, m.MissionID)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return ids
}

// Three schedulers, each its own goroutine, Schedule and client, run one
// 1-second entry until 10 distinct ticks were dispatched: the daemon holds
// exactly 10 missions, whose ids are the tick ids of 10 consecutive seconds.
func TestScheduleThreeSchedulersDispatchEachTickOnce(t *testing.T) {
	const entry = "go-sched-tick"
	// A mission name of its own per run: -count=N runs against one
	// devserver, which keeps the missions of the runs before.
	job := acceptingMission(t, fmt.Sprintf("go_sched_tick_%d", time.Now().UnixNano()))
	// The deadline only bounds a broken run; the test ends by cancel.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	ticks := map[int64]bool{}
	var perScheduler [3]int
	var wrongIDs []string
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range errs {
		s := newSchedule(t)
		c := openClient(t, goSrv.ClientConfig(), nil)
		if err := s.AddInterval(entry, time.Second, job); err != nil {
			t.Fatal(err)
		}
		i := i
		if err := s.OnDispatch(func(name string, tick time.Time, missionID string) {
			want, err := letts.TickID(name, tick)
			mu.Lock()
			defer mu.Unlock()
			perScheduler[i]++
			ticks[tick.UnixMilli()] = true
			if err != nil || name != entry || missionID != want {
				wrongIDs = append(wrongIDs, name+" "+tick.String()+" "+missionID)
				cancel()
			}
			if len(ticks) >= 10 {
				cancel()
			}
		}); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Run(ctx, c)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		var lerr *letts.Error
		if !errors.Is(err, context.Canceled) || !errors.As(err, &lerr) || lerr.Status != letts.StatusCancelled {
			t.Fatalf("scheduler %d: expected a cancelled *Error wrapping context.Canceled, got %v", i, err)
		}
	}
	if len(wrongIDs) > 0 {
		t.Fatalf("dispatches whose mission id is not TickID(entry, tick): %v", wrongIDs)
	}
	if len(ticks) != 10 {
		t.Fatalf("expected 10 distinct ticks, got %d", len(ticks))
	}
	total := 0
	for i, n := range perScheduler {
		if n == 0 {
			t.Fatalf("scheduler %d dispatched nothing (counts %v)", i, perScheduler)
		}
		total += n
	}
	// Each scheduler dispatches every tick after its start; the daemon
	// answers all but the first with a replay.
	if total < 25 {
		t.Fatalf("expected at least 25 dispatches by the three schedulers, got %v", perScheduler)
	}
	t.Logf("dispatches per scheduler: %v", perScheduler)
	sorted := make([]int64, 0, len(ticks))
	for ms := range ticks {
		sorted = append(sorted, ms)
	}
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	var want []string
	for k, ms := range sorted {
		if ms%1000 != 0 || (k > 0 && ms != sorted[k-1]+1000) {
			t.Fatalf("expected 10 consecutive whole seconds, got %v", sorted)
		}
		id, err := letts.TickID(entry, time.UnixMilli(ms))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	sort.Strings(want)
	if got := missionIDsNamed(t, job.Mission); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("the devserver's missions %s:\n got %v\nwant %v", job.Mission, got, want)
	}
}

// unixMS is the instant of a Unix time in milliseconds, for the expected
// times below (they were cross-checked with Python's zoneinfo).
func unixMS(ms ...int64) []time.Time {
	out := make([]time.Time, len(ms))
	for i, m := range ms {
		out[i] = time.UnixMilli(m)
	}
	return out
}

func checkNext(t *testing.T, s *letts.Schedule, name string, after time.Time, want []time.Time) {
	t.Helper()
	got, err := s.Next(name, after, len(want))
	if err != nil {
		t.Fatalf("Next(%s): %v", name, err)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Fatalf("Next(%s) after %s:\n got %v\nwant %v", name, after.UTC(), utc(got), utc(want))
		}
	}
}

func utc(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format(time.RFC3339)
	}
	return out
}

// Cron times are wall-clock times of the entry's zone: across Berlin's DST
// changes of 2026 a time in the spring gap fires once at the end of the
// gap, a time of the autumn overlap once at its first occurrence.
func TestScheduleNextAcrossDSTAndInterval(t *testing.T) {
	s := newSchedule(t)
	job := letts.Job{Mission: "hello", Host: host, Lane: "default"}
	for _, e := range []struct{ name, spec, zone string }{
		{"berlin-0230", "30 2 * * *", "Europe/Berlin"},
		{"berlin-hourly", "0 * * * *", "Europe/Berlin"},
		{"every-90s", "@every 1m30s", ""},
	} {
		if err := s.Add(e.name, e.spec, e.zone, job); err != nil {
			t.Fatalf("Add(%s): %v", e.name, err)
		}
	}
	if err := s.AddInterval("interval-90s", 90*time.Second, job); err != nil {
		t.Fatal(err)
	}
	// 2026-03-29 02:30 does not exist in Berlin (02:00 CET -> 03:00 CEST).
	checkNext(t, s, "berlin-0230", time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC), unixMS(
		1774661400000, // 2026-03-28 02:30 CET  = 01:30Z
		1774746000000, // 2026-03-29 03:00 CEST = 01:00Z, the gap's end
		1774830600000, // 2026-03-30 02:30 CEST = 00:30Z
		1774917000000, // 2026-03-31 02:30 CEST = 00:30Z
	))
	// 2026-10-25 02:30 happens twice (03:00 CEST -> 02:00 CET).
	checkNext(t, s, "berlin-0230", time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC), unixMS(
		1792888200000, // 2026-10-25 02:30 CEST = 00:30Z, the first one
		1792978200000, // 2026-10-26 02:30 CET  = 01:30Z
		1793064600000, // 2026-10-27 02:30 CET  = 01:30Z
	))
	checkNext(t, s, "berlin-hourly", time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC), unixMS(
		1792882800000, // 01:00 CEST = 23:00Z
		1792886400000, // 02:00 CEST = 00:00Z (02:00 CET, 01:00Z, is its repetition)
		1792893600000, // 03:00 CET  = 02:00Z
		1792897200000, // 04:00 CET  = 03:00Z
	))
	// Interval ticks are multiples of the interval since the epoch, strictly
	// after the given time; 1764806400000 is one.
	for _, name := range []string{"every-90s", "interval-90s"} {
		checkNext(t, s, name, time.UnixMilli(1764806400000), unixMS(1764806490000, 1764806580000, 1764806670000))
		checkNext(t, s, name, time.UnixMilli(1764806400001), unixMS(1764806490000))
	}
	if got, err := s.Next("berlin-0230", time.Now(), 0); err != nil || len(got) != 0 {
		t.Fatalf("Next with n 0: %v, %v", got, err)
	}
	if _, err := s.Next("no-such-entry", time.Now(), 1); !errors.Is(err, letts.ErrNotFound) {
		t.Fatalf("Next of a missing entry: expected ErrNotFound, got %v", err)
	}
	if _, err := s.Next("berlin-0230", time.Now(), -1); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("Next with n -1: expected ErrInvalidArgument, got %v", err)
	}
}

// A tick's mission id is the unique id of (entry name, window 1 ms, tick):
// the last row of docs/unique-ids.md's vectors.
func TestScheduleTickIDIsTheUniqueIDOfTheTick(t *testing.T) {
	const name = "schedule:nightly@2025-12-04T02:00Z"
	tick := time.UnixMilli(1764813600000)
	id, err := letts.TickID(name, tick)
	if err != nil || id != "019ae716-7500-7ee6-951a-5be26920a3b4" {
		t.Fatalf("TickID: got %q, %v", id, err)
	}
	if unique, err := letts.UniqueID(name, time.Millisecond, tick); err != nil || unique != id {
		t.Fatalf("UniqueID of the tick: got %q, %v; TickID %q", unique, err, id)
	}
	if _, err := letts.TickID("", tick); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("TickID of an empty name: expected ErrInvalidArgument, got %v", err)
	}
	if _, err := letts.TickID("a\x00b", tick); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("TickID of a name with NUL: expected ErrInvalidArgument, got %v", err)
	}
}

func TestScheduleRefusesBadInput(t *testing.T) {
	s := newSchedule(t)
	job := letts.Job{Mission: "hello", Host: host, Lane: "default"}
	invalid := func(what string, err error, mentions ...string) {
		t.Helper()
		var lerr *letts.Error
		if !errors.As(err, &lerr) || lerr.Status != letts.StatusInvalidArgument {
			t.Fatalf("%s: expected a *Error of StatusInvalidArgument, got %v", what, err)
		}
		for _, m := range mentions {
			if !strings.Contains(lerr.Message, m) {
				t.Fatalf("%s: expected the message to mention %q, got %q", what, m, lerr.Message)
			}
		}
	}
	invalid("minute 61", s.Add("bad-minute", "61 * * * *", "", job), "minute", `"61"`)
	invalid("day-of-week FUN", s.Add("bad-dow", "0 9 * * FUN", "", job), "day-of-week", `"FUN"`)
	invalid("four fields", s.Add("short", "0 9 * *", "", job), "5 fields")
	invalid("unknown zone", s.Add("mars", "@daily", "Mars/Olympus_Mons", job), "Mars/Olympus_Mons")
	if err := s.Add("daily", "@daily", "UTC", job); err != nil {
		t.Fatal(err)
	}
	invalid("duplicate name", s.Add("daily", "@hourly", "", job), `"daily"`)
	invalid("duplicate interval name", s.AddInterval("daily", time.Second, job), `"daily"`)
	invalid("interval 0", s.AddInterval("zero", 0, job), "positive")
	invalid("negative interval", s.AddInterval("negative", -time.Second, job), "positive")
	invalid("interval of 1.5 ms", s.AddInterval("fraction", 1500*time.Microsecond, job), "whole")
	invalid("empty name", s.AddInterval("", time.Second, job))
	invalid("name with NUL", s.Add("a\x00b", "@daily", "", job), "NUL")
	withID := job
	withID.MissionID = "0190b3a0-0000-7000-8000-000000000000"
	invalid("job with a mission id", s.AddInterval("with-id", time.Second, withID), "MissionID")
	withUnique := job
	withUnique.Unique = &letts.Unique{Key: "k"}
	invalid("job with Unique", s.Add("with-unique", "@daily", "", withUnique), "Unique")
	invalid("grace < 0", s.SetCatchUp(letts.CatchUpSkip, -time.Second, 1))
	invalid("max fires 0", s.SetCatchUp(letts.CatchUpAll, 0, 0))
	invalid("unknown policy", s.SetCatchUp(letts.CatchUpPolicy(3), 0, 1))
	// Only the good entry was added.
	for _, name := range []string{"bad-minute", "mars", "zero", "with-id", "with-unique"} {
		if _, err := s.Next(name, time.Now(), 1); !errors.Is(err, letts.ErrNotFound) {
			t.Fatalf("entry %s: expected ErrNotFound, got %v", name, err)
		}
	}
	if got, err := s.Next("daily", time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), 1); err != nil ||
		!got[0].Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("the good entry: %v, %v", got, err)
	}
}

// fakeClock is the test-only schedule clock: a time the test sets.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *fakeClock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

var t0 = time.UnixMilli(1700000000000)

// The policies reach libletts as given (the Go constants are the C values):
// a schedule every second, started at t0, stepped again at t0+late.
func TestScheduleCatchUpPolicies(t *testing.T) {
	job := acceptingMission(t, "go_sched_catch_up")
	for _, c := range []struct {
		entry    string
		policy   letts.CatchUpPolicy
		grace    time.Duration
		maxFires int
		late     time.Duration
		want     []time.Duration // after t0
	}{
		{"go-cu-all", letts.CatchUpAll, time.Second, 3, 5500 * time.Millisecond, []time.Duration{3 * time.Second, 4 * time.Second, 5 * time.Second}},
		{"go-cu-once", letts.CatchUpOnce, 0, 100, 5500 * time.Millisecond, []time.Duration{5 * time.Second}},
		{"go-cu-skip-in-grace", letts.CatchUpSkip, 200 * time.Millisecond, 100, 5100 * time.Millisecond, []time.Duration{5 * time.Second}},
		{"go-cu-skip-late", letts.CatchUpSkip, 200 * time.Millisecond, 100, 5500 * time.Millisecond, nil},
	} {
		s := newSchedule(t)
		clock := &fakeClock{now: t0}
		var fired []time.Duration
		if err := s.AddInterval(c.entry, time.Second, job); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCatchUp(c.policy, c.grace, c.maxFires); err != nil {
			t.Fatal(err)
		}
		if err := s.SetClockForTest(clock.read); err != nil {
			t.Fatal(err)
		}
		if err := s.OnDispatch(func(_ string, tick time.Time, _ string) { fired = append(fired, tick.Sub(t0)) }); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := s.Step(ctx, goSrv.Client()); err != nil || len(fired) != 0 {
			t.Fatalf("%s: the first step starts the schedule and fires nothing: %v, %v", c.entry, fired, err)
		}
		clock.set(t0.Add(c.late))
		if err := s.Step(ctx, goSrv.Client()); err != nil {
			t.Fatal(err)
		}
		if len(fired) != len(c.want) {
			t.Fatalf("%s: expected ticks %v after t0, fired %v", c.entry, c.want, fired)
		}
		for i := range fired {
			if fired[i] != c.want[i] {
				t.Fatalf("%s: expected ticks %v after t0, fired %v", c.entry, c.want, fired)
			}
		}
	}
}

// marked returns a dispatch function that counts its calls in *calls and
// closes the returned channel once the garbage collector has found it
// unreachable: the schedule no longer holds it.
func marked(calls *int) (func(string, time.Time, string), chan struct{}) {
	released := make(chan struct{})
	// Big enough to escape the tiny allocator, whose objects may never be
	// finalized.
	marker := new([64]byte)
	runtime.SetFinalizer(marker, func(*[64]byte) { close(released) })
	return func(string, time.Time, string) {
		marker[0]++
		*calls++
	}, released
}

func waitReleased(t *testing.T, what string, released chan struct{}) {
	t.Helper()
	waitFor(t, 5*time.Second, what+" released by the schedule", func() bool {
		runtime.GC()
		select {
		case <-released:
			return true
		default:
			return false
		}
	})
}

// A replaced or cleared dispatch function is no longer called, and the
// schedule drops its reference (no handle leaks); Close is idempotent.
func TestScheduleOnDispatchReplaceClearAndClose(t *testing.T) {
	job := acceptingMission(t, "go_sched_observers")
	s, err := letts.NewSchedule()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	clock := &fakeClock{now: t0}
	if err := s.AddInterval("go-sched-observers", time.Second, job); err != nil {
		t.Fatal(err)
	}
	if err := s.SetClockForTest(clock.read); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	step := func() {
		t.Helper()
		if err := s.Step(ctx, goSrv.Client()); err != nil {
			t.Fatal(err)
		}
		clock.set(clock.read().Add(time.Second))
	}
	step() // starts the schedule; each later step fires one tick
	var callsA, callsB int
	fnA, releasedA := marked(&callsA)
	if err := s.OnDispatch(fnA); err != nil {
		t.Fatal(err)
	}
	fnA = nil
	step()
	fnB, releasedB := marked(&callsB)
	if err := s.OnDispatch(fnB); err != nil {
		t.Fatal(err)
	}
	fnB = nil
	step()
	if callsA != 1 || callsB != 1 {
		t.Fatalf("after a replacement: expected one call each, got A %d, B %d", callsA, callsB)
	}
	waitReleased(t, "the replaced function", releasedA)
	if err := s.OnDispatch(nil); err != nil {
		t.Fatal(err)
	}
	step()
	if callsA != 1 || callsB != 1 {
		t.Fatalf("after clearing: expected no more calls, got A %d, B %d", callsA, callsB)
	}
	waitReleased(t, "the cleared function", releasedB)

	var callsC int
	fnC, releasedC := marked(&callsC)
	if err := s.OnDispatch(fnC); err != nil {
		t.Fatal(err)
	}
	fnC = nil
	step()
	if callsC != 1 {
		t.Fatalf("expected one call of the last function, got %d", callsC)
	}
	if s.FD() < 0 {
		t.Fatalf("an open schedule has a descriptor, got %d", s.FD())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	waitReleased(t, "the function of a closed schedule", releasedC)
	if err := s.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	if fd := s.FD(); fd != -1 {
		t.Fatalf("FD after Close: expected -1, got %d", fd)
	}
	if err := s.Step(ctx, goSrv.Client()); !errors.Is(err, letts.ErrScheduleClosed) {
		t.Fatalf("Step after Close: expected ErrScheduleClosed, got %v", err)
	}
	if err := s.AddInterval("late", time.Second, job); !errors.Is(err, letts.ErrScheduleClosed) {
		t.Fatalf("AddInterval after Close: expected ErrScheduleClosed, got %v", err)
	}
}

// Close ends a Run in progress, from another goroutine or from the dispatch
// function; while it runs, the schedule refuses other calls.
func TestScheduleCloseEndsRun(t *testing.T) {
	job := acceptingMission(t, "go_sched_close")

	// From another goroutine, after the first tick (real clock).
	s, err := letts.NewSchedule()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddInterval("go-sched-close", time.Second, job); err != nil {
		t.Fatal(err)
	}
	dispatched := make(chan struct{}, 1)
	if err := s.OnDispatch(func(string, time.Time, string) {
		select {
		case dispatched <- struct{}{}:
		default:
		}
	}); err != nil {
		t.Fatal(err)
	}
	// The context only ends a Run that a broken Close left running, so that
	// the devserver's client can close after a failure.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, goSrv.Client()) }()
	select {
	case <-dispatched:
	case err := <-done:
		t.Fatalf("Run ended before its first tick: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("expected a tick within 10s")
	}
	if _, err := s.Next("go-sched-close", time.Now(), 1); !errors.Is(err, letts.ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "in use") {
		t.Fatalf("Next during Run: expected the in-use error, got %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, letts.ErrScheduleClosed) {
			t.Fatalf("Run ended by Close: expected ErrScheduleClosed, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end Run within 10s")
	}

	// From the dispatch function, on the goroutine running the schedule
	// (a test clock one second further at each reading: every step fires).
	s2 := newSchedule(t)
	if err := s2.AddInterval("go-sched-close-inside", time.Second, job); err != nil {
		t.Fatal(err)
	}
	// Close cancels at once: no further step (clock reading) follows it.
	clock := &fakeClock{now: t0}
	calls, stepsAfterClose := 0, 0
	if err := s2.SetClockForTest(func() time.Time {
		if calls > 0 {
			stepsAfterClose++
		}
		now := clock.read()
		clock.set(now.Add(time.Second))
		return now
	}); err != nil {
		t.Fatal(err)
	}
	if err := s2.OnDispatch(func(string, time.Time, string) {
		calls++
		s2.Close()
	}); err != nil {
		t.Fatal(err)
	}
	if err := s2.Run(context.Background(), goSrv.Client()); !errors.Is(err, letts.ErrScheduleClosed) || calls != 1 || stepsAfterClose != 0 {
		t.Fatalf("Run closed from its dispatch function: expected ErrScheduleClosed after 1 call and no further step, got %v after %d calls, %d steps",
			err, calls, stepsAfterClose)
	}
}
