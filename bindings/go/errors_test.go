package letts_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

var sentinelOf = map[letts.Status]error{
	letts.StatusBadRequest:        letts.ErrBadRequest,
	letts.StatusAuth:              letts.ErrAuth,
	letts.StatusConflict:          letts.ErrConflict,
	letts.StatusBackpressure:      letts.ErrBackpressure,
	letts.StatusDispatch:          letts.ErrDispatch,
	letts.StatusNetwork:           letts.ErrNetwork,
	letts.StatusWaitTimeout:       letts.ErrWaitTimeout,
	letts.StatusStaging:           letts.ErrStaging,
	letts.StatusConfig:            letts.ErrConfig,
	letts.StatusMissingEnv:        letts.ErrMissingEnv,
	letts.StatusNoMatchingDugdale: letts.ErrNoMatchingDugdale,
	letts.StatusMissionFailed:     letts.ErrMissionFailed,
	letts.StatusInterrupted:       letts.ErrInterrupted,
	letts.StatusInvalidArgument:   letts.ErrInvalidArgument,
	letts.StatusNotFound:          letts.ErrNotFound,
	letts.StatusIO:                letts.ErrIO,
	letts.StatusNoMemory:          letts.ErrNoMemory,
	letts.StatusInternal:          letts.ErrInternal,
	letts.StatusCancelled:         letts.ErrCancelled,
}

// Each status matches its own sentinel and no other, and has the name of
// the C API.
func TestSentinelPerStatus(t *testing.T) {
	names := []string{"ok", "bad_request", "auth", "conflict", "backpressure", "dispatch", "network",
		"wait_timeout", "staging", "config", "missing_env", "no_matching_dugdale", "mission_failed",
		"interrupted", "invalid_argument", "not_found", "io", "no_memory", "internal", "cancelled"}
	for s := letts.Status(0); s <= letts.StatusCancelled; s++ {
		if s.String() != names[s] {
			t.Errorf("status %d: expected name %q, got %q", int(s), names[s], s.String())
		}
		if s == letts.StatusOK {
			continue
		}
		var err error = &letts.Error{Status: s, Message: "m"}
		for other, sentinel := range sentinelOf {
			if got := errors.Is(err, sentinel); got != (other == s) {
				t.Errorf("status %v: errors.Is(%v) = %v", s, sentinel, got)
			}
		}
		if errors.Is(err, context.Canceled) {
			t.Errorf("status %v: must not match context.Canceled without a context", s)
		}
		wrapped := fmt.Errorf("outer: %w", err)
		var e *letts.Error
		if !errors.As(wrapped, &e) || e.Status != s {
			t.Errorf("status %v: errors.As through a wrap failed", s)
		}
	}
	if letts.Status(99).String() != "unknown" {
		t.Errorf("expected unknown for status 99")
	}
}

// fakeDugdale answers every request with status and an error envelope.
func fakeDugdale(t *testing.T, status int, code string) string {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":%q,"message":"fake %d","details":{"where":"fake"}}`, code, status)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// Each status a Go program can meet, produced for real: by the devserver,
// by a fake dugdale answering a fixed status, or by the client itself.
func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	one := &letts.Options{RetryAttempts: 1, ConnectTimeout: 2 * time.Second}
	fake := func(status int, code string) *letts.Client {
		return openClient(t, configYAML(fakeDugdale(t, status, code), "tok", "adm", map[string][]string{host: nil}), one)
	}
	hello := job("hello", nil)
	cases := []struct {
		name   string
		status letts.Status
		http   int
		call   func() error
	}{
		{"two addresses", letts.StatusBadRequest, 0, func() error {
			j := hello
			j.Route = "somewhere"
			_, err := client.Dispatch(ctx, j)
			return err
		}},
		{"wrong token", letts.StatusAuth, 401, func() error {
			c := openClient(t, configYAML(srv.URL(), "wrong", "wrong", map[string][]string{host: nil}), one)
			_, err := c.Dispatch(ctx, hello)
			return err
		}},
		{"id reused with another payload", letts.StatusConflict, 409, func() error {
			j := job("hello", map[string]any{"a": 1})
			j.MissionID = "01a20000-0000-7000-8000-00000000c0de"
			if _, err := client.Dispatch(ctx, j); err != nil {
				return err
			}
			j.Input = map[string]any{"a": 2}
			_, err := client.Dispatch(ctx, j)
			return err
		}},
		{"queue full", letts.StatusBackpressure, 503, func() error {
			_, err := fake(503, "queue_full").Dispatch(ctx, hello)
			return err
		}},
		{"teapot", letts.StatusDispatch, 418, func() error {
			_, err := fake(418, "teapot").Dispatch(ctx, hello)
			return err
		}},
		{"not ready", letts.StatusDispatch, 503, func() error {
			_, err := fake(503, "draining").Readyz(ctx, host)
			return err
		}},
		{"nobody listening", letts.StatusNetwork, 0, func() error {
			c := openClient(t, configYAML(closedPort(t), "tok", "adm", map[string][]string{host: nil}), one)
			_, err := c.Dispatch(ctx, hello)
			return err
		}},
		{"wait timeout", letts.StatusWaitTimeout, 0, func() error {
			_, err := client.Run(ctx, job("interruptible", map[string]any{"seconds": 30}),
				letts.WithWaitTimeout(200*time.Millisecond), letts.WithKillOnCancel())
			return err
		}},
		{"missing input file", letts.StatusStaging, 0, func() error {
			j := hello
			j.Files = map[string]string{"doc": "/nonexistent/file"}
			_, err := client.Dispatch(ctx, j)
			return err
		}},
		{"unknown host", letts.StatusConfig, 0, func() error {
			j := hello
			j.Host = "nowhere"
			_, err := client.Dispatch(ctx, j)
			return err
		}},
		{"missing letts.yaml", letts.StatusConfig, 0, func() error {
			_, err := letts.Open("/nonexistent/letts.yaml", nil)
			return err
		}},
		{"unset token variable", letts.StatusMissingEnv, 0, func() error {
			c, err := letts.OpenYAML(configYAML(srv.URL(), "${LETTS_GO_TEST_UNSET_VARIABLE}", "adm",
				map[string][]string{host: nil}), "letts.yaml", nil)
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.Dispatch(ctx, hello)
			return err
		}},
		{"no dugdale with the labels", letts.StatusNoMatchingDugdale, 0, func() error {
			_, err := client.Dispatch(ctx, letts.Job{Mission: "hello", Match: []string{"tpu"}, Lane: "default"})
			return err
		}},
		{"mission failed", letts.StatusMissionFailed, 0, func() error {
			_, err := client.Run(ctx, job("fail", nil))
			return err
		}},
		{"input not an object", letts.StatusInvalidArgument, 0, func() error {
			_, err := client.Dispatch(ctx, job("hello", []int{1}))
			return err
		}},
		{"request timeout below 1 s", letts.StatusInvalidArgument, 0, func() error {
			_, err := letts.OpenYAML(srv.ClientConfig(), "letts.yaml", &letts.Options{RequestTimeout: time.Millisecond})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var e *letts.Error
			if !errors.As(err, &e) {
				t.Fatalf("expected a *letts.Error, got %v", err)
			}
			if e.Status != c.status || !errors.Is(err, sentinelOf[c.status]) {
				t.Fatalf("expected status %v, got %v (%v)", c.status, e.Status, err)
			}
			if e.HTTPStatus != c.http {
				t.Fatalf("expected HTTP status %d, got %d (%v)", c.http, e.HTTPStatus, err)
			}
			if e.Message == "" || e.Error() != "letts: "+e.Message {
				t.Fatalf("expected a message, got %q", e.Error())
			}
		})
	}
}

func TestErrorFacts(t *testing.T) {
	c := openClient(t, configYAML(fakeDugdale(t, 503, "queue_full"), "tok", "adm", map[string][]string{host: nil}),
		&letts.Options{RetryAttempts: 1})
	_, err := c.Dispatch(context.Background(), job("hello", nil))
	var e *letts.Error
	if !errors.As(err, &e) || e.Code != "queue_full" || e.Dugdale != host || string(e.Details) != `{"where":"fake"}` {
		t.Fatalf("expected code, dugdale and details of the envelope, got %+v", e)
	}
	_, err = client.Run(context.Background(), job("interruptible", map[string]any{"seconds": 30}),
		letts.WithWaitTimeout(200*time.Millisecond), letts.WithKillOnCancel())
	if !errors.As(err, &e) || e.MissionID == "" {
		t.Fatalf("wait timeout: expected the mission named, got %+v", e)
	}
}
