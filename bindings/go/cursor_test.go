package letts_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// The cursors were computed with encoding/json and base64.RawURLEncoding
// from the upstream client's ListCursor rule: equal means its bytes.
var cursorVectors = []struct {
	c      letts.ListCursor
	cursor string
}{
	{letts.ListCursor{TimeCreatedMs: 1714600000123, MissionID: "0192a8b3-d2c1-7abc-bad0-1234567890ab"},
		"eyJ0aW1lX2NyZWF0ZWQiOjE3MTQ2MDAwMDAxMjMsIm1pc3Npb25faWQiOiIwMTkyYThiMy1kMmMxLTdhYmMtYmFkMC0xMjM0NTY3ODkwYWIifQ"},
	{letts.ListCursor{TimeFinishedMs: 1714600099999, MissionID: "0192a8b4-d2c1-7abc-bad0-1234567890ac"},
		"eyJ0aW1lX2ZpbmlzaGVkIjoxNzE0NjAwMDk5OTk5LCJtaXNzaW9uX2lkIjoiMDE5MmE4YjQtZDJjMS03YWJjLWJhZDAtMTIzNDU2Nzg5MGFjIn0"},
	{letts.ListCursor{TimeCreatedMs: 5, TimeFinishedMs: 7, MissionID: "a<b>&c\"d\\e\u2028f\u2029g é"},
		"eyJ0aW1lX2NyZWF0ZWQiOjUsInRpbWVfZmluaXNoZWQiOjcsIm1pc3Npb25faWQiOiJhXHUwMDNjYlx1MDAzZVx1MDAyNmNcImRcXGVcdTIwMjhmXHUyMDI5ZyDDqSJ9"},
}

func TestListCursorVectors(t *testing.T) {
	for _, v := range cursorVectors {
		got, err := letts.EncodeListCursor(v.c)
		if err != nil || got != v.cursor {
			t.Errorf("EncodeListCursor(%+v) = %q, %v; want %q", v.c, got, err, v.cursor)
		}
		back, err := letts.DecodeListCursor(v.cursor)
		if err != nil || back != v.c {
			t.Errorf("DecodeListCursor(%q) = %+v, %v; want %+v", v.cursor, back, err, v.c)
		}
	}
	if c, err := letts.DecodeListCursor(""); err != nil || c != (letts.ListCursor{}) {
		t.Errorf(`DecodeListCursor("") = %+v, %v; want the zero cursor`, c, err)
	}
}

func TestListCursorRefusals(t *testing.T) {
	if _, err := letts.DecodeListCursor("eyJ0aW1l+"); !errors.Is(err, letts.ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "not unpadded base64url") {
		t.Errorf("a '+' in a cursor: got %v", err)
	}
	if _, err := letts.EncodeListCursor(letts.ListCursor{MissionID: "m"}); !errors.Is(err, letts.ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "must be above 0") {
		t.Errorf("no time: got %v", err)
	}
}

func TestListCursorResumesAListing(t *testing.T) {
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := client.Dispatch(ctx, job("cursor_absent", nil)); err != nil {
			t.Fatal(err)
		}
	}
	filter := letts.ListFilter{Mission: "cursor_absent", Limit: 1}
	first, err := client.ListMissionsPage(ctx, host, filter)
	if err != nil || len(first.Missions) != 1 || first.NextCursor == "" {
		t.Fatalf("first page: %+v %v", first, err)
	}
	top := first.Missions[0]
	ours, err := letts.EncodeListCursor(letts.ListCursor{TimeCreatedMs: top.TimeCreated, MissionID: top.MissionID})
	if err != nil || ours != first.NextCursor {
		t.Fatalf("made cursor %q (%v), the server's %q", ours, err, first.NextCursor)
	}
	filter.Cursor = ours
	next, err := client.ListMissionsPage(ctx, host, filter)
	if err != nil || len(next.Missions) != 1 || next.Missions[0].MissionID == top.MissionID {
		t.Fatalf("page after a made cursor: %+v %v", next, err)
	}
}

func TestTotalTimeoutEndsARequestNobodyAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // never accepted: the request waits for an answer
	yaml := fmt.Sprintf("dugdales:\n  - id: silent\n    url: http://%s\n    token: \"t\"\n", ln.Addr())
	c := openClient(t, yaml, &letts.Options{RetryAttempts: 1, TotalTimeout: 600 * time.Millisecond,
		ReconnectBackoff: []time.Duration{time.Millisecond}})
	started := time.Now()
	_, err = c.GetMission(context.Background(), "silent", "0192a8b3-d2c1-7abc-bad0-1234567890ab")
	elapsed := time.Since(started)
	if !errors.Is(err, letts.ErrNetwork) || !strings.Contains(err.Error(), "total_timeout of 600 ms exceeded") {
		t.Fatalf("expected the total timeout, got %v", err)
	}
	if elapsed < 550*time.Millisecond || elapsed > 10*time.Second {
		t.Fatalf("gave up after %v, expected about 600 ms", elapsed)
	}
	if _, err := letts.OpenYAML(yaml, "x", &letts.Options{TotalTimeout: -time.Second}); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("a negative TotalTimeout: got %v", err)
	}
}
