package letts_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// One vector of docs/unique-ids.md: the binding passes key, window and time
// through unchanged.
func TestUniqueIDVector(t *testing.T) {
	id, err := letts.UniqueID("invoice-42", time.Hour, time.UnixMilli(1764809999999))
	if err != nil || id != "019ae6a8-9800-7059-a7a4-ac6240ea70b6" {
		t.Fatalf("got %q, %v", id, err)
	}
	if _, err := letts.UniqueID("a\x00b", 0, time.Time{}); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("a key with NUL: %v", err)
	}
}

// Ten goroutines dispatching one unique key get one id; another payload is
// a conflict unless ConflictReturnsID.
func TestUniqueDispatch(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1764806400000 + 5)
	want, err := letts.UniqueID("go-unique-1", time.Hour, at)
	if err != nil {
		t.Fatal(err)
	}
	j := job("hello", map[string]any{"n": 1})
	j.Unique = &letts.Unique{Key: "go-unique-1", Window: time.Hour, At: at}
	ids := make([]string, 10)
	errs := make([]error, 10)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ids[i], errs[i] = client.Dispatch(ctx, j)
		}(i)
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != want {
			t.Fatalf("dispatcher %d: got %q, %v; want %s", i, ids[i], errs[i], want)
		}
	}
	other := j
	other.Input = map[string]any{"n": 2}
	if _, err := client.Dispatch(ctx, other); !errors.Is(err, letts.ErrConflict) {
		t.Fatalf("another payload: expected a conflict, got %v", err)
	}
	other.Unique = &letts.Unique{Key: "go-unique-1", Window: time.Hour, At: at, ConflictReturnsID: true}
	if id, err := client.Dispatch(ctx, other); err != nil || id != want {
		t.Fatalf("ConflictReturnsID: got %q, %v; want %s", id, err, want)
	}
	if m, err := client.GetMission(ctx, host, want); err != nil || m.MissionID != want {
		t.Fatalf("the mission: %+v, %v", m, err)
	}
}
