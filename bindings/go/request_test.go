package letts_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// uuidv7 is a fresh UUIDv7 (an idempotency key of the raw dispatch below).
func uuidv7(t *testing.T) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	ms := uint64(time.Now().UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = 0x70 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func TestRawRequest(t *testing.T) {
	ctx := context.Background()

	r, err := client.Request(ctx, host, letts.ScopeDispatch, "GET", "/v1/dugdale", nil)
	var doc map[string]any
	if err != nil || r.Status != 200 || r.Check() != nil || json.Unmarshal(r.Body, &doc) != nil || doc["version"] == nil {
		t.Fatalf("GET /v1/dugdale: expected 200 with a version, got %+v %v", r, err)
	}
	if !strings.Contains(r.Header.Get("content-type"), "application/json") {
		t.Fatalf("expected a JSON content type, got headers %v", r.Header)
	}

	// A refused token is an answer; Check maps it as every method would.
	r, err = client.Request(ctx, host, letts.ScopeDispatch, "GET", "/v1/admin/state", nil)
	if err != nil || r.Status != 403 {
		t.Fatalf("GET /v1/admin/state with the dispatch token: expected 403, got %+v %v", r, err)
	}
	var lerr *letts.Error
	if check := r.Check(); !errors.Is(check, letts.ErrAuth) || !errors.As(check, &lerr) ||
		lerr.HTTPStatus != 403 || lerr.Code != "forbidden" || lerr.Dugdale != host {
		t.Fatalf("Check: expected ErrAuth 403 forbidden from %s, got %#v", host, check)
	}

	r, err = client.Request(ctx, host, letts.ScopeDispatch, "HEAD", "/v1/staging/"+uuidv7(t), nil)
	if err != nil || r.Status != 404 || len(r.Body) != 0 {
		t.Fatalf("HEAD of an unknown staging id: expected 404 without a body, got %+v %v", r, err)
	}

	id := uuidv7(t)
	r, err = client.Request(ctx, host, letts.ScopeDispatch, "POST", "/v1/dispatch",
		[]byte(`{"mission":"hello","lane":"default","input":{"raw":true}}`), "Idempotency-Key: "+id)
	var answer struct {
		MissionID string `json:"mission_id"`
	}
	if err != nil || r.Status != 202 || json.Unmarshal(r.Body, &answer) != nil || answer.MissionID != id {
		t.Fatalf("raw dispatch: expected 202 naming %s, got %+v %v", id, r, err)
	}
	if res, err := client.Wait(ctx, host, id); err != nil || string(res.Return) != `{"raw":true}` {
		t.Fatalf("the raw dispatch's mission: expected its input back, got %+v %v", res, err)
	}

	for _, bad := range []struct {
		method, path string
		body         []byte
		headers      []string
	}{
		{"get", "/v1/dugdale", nil, nil},
		{"GET", "/v1/dugdale\r\nX-Evil: 1", nil, nil},
		{"GET", "/v1/dugdale", nil, []string{"X-A: 1\r\nHost: elsewhere"}},
		{"GET", "/v1/dugdale", nil, []string{"Authorization: Bearer stolen"}},
		{"POST", "/v1/dispatch", []byte(`{"mission":`), nil},
	} {
		r, err := client.Request(ctx, host, letts.ScopeDispatch, bad.method, bad.path, bad.body, bad.headers...)
		if r != nil || !errors.Is(err, letts.ErrInvalidArgument) || strings.Contains(err.Error(), "stolen") {
			t.Fatalf("%q %q %q: expected ErrInvalidArgument, got %+v %v", bad.method, bad.path, bad.headers, r, err)
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := client.Request(cancelled, host, letts.ScopeDispatch, "GET", "/v1/dugdale", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context: expected context.Canceled, got %v", err)
	}
}
