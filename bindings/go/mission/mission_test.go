package mission_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
	"github.com/letts-project/libletts/bindings/go/mission"
)

// In-process standalone missions (one live at a time, as the runtime
// requires); the same program under dugdale is covered by the tests of the
// root package with examples/go/mission.

func TestInputGetters(t *testing.T) {
	m, err := mission.StartStandalone([]string{"test",
		`--input={"name":"ada","n":7,"ratio":0.5,"on":true,"opts":{"size":3},"nothing":null}`})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !m.Standalone() || m.ID() != "" {
		t.Fatalf("expected standalone without an id, got %v %q", m.Standalone(), m.ID())
	}
	if s, err := m.String("name", "x"); err != nil || s != "ada" {
		t.Fatalf("String: %q %v", s, err)
	}
	if s, err := m.String("absent", "def"); err != nil || s != "def" {
		t.Fatalf("String default: %q %v", s, err)
	}
	if _, err := m.String("n", ""); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("String of a number: expected ErrInvalidArgument, got %v", err)
	}
	if n, err := m.Int("opts.size", 0); err != nil || n != 3 {
		t.Fatalf("Int with a dot path: %d %v", n, err)
	}
	if f, err := m.Float("ratio", 0); err != nil || f != 0.5 {
		t.Fatalf("Float: %v %v", f, err)
	}
	if b, err := m.Bool("on", false); err != nil || !b {
		t.Fatalf("Bool: %v %v", b, err)
	}
	if !m.Has("nothing") || m.Has("absent") {
		t.Fatal("Has: expected a present null and an absent path told apart")
	}
	var opts struct{ Size int }
	if err := m.Lookup("opts", &opts); err != nil || opts.Size != 3 {
		t.Fatalf("Lookup: %+v %v", opts, err)
	}
	if err := m.Lookup("absent", &opts); !errors.Is(err, letts.ErrNotFound) {
		t.Fatalf("Lookup of an absent path: expected ErrNotFound, got %v", err)
	}
	var all map[string]any
	if err := m.Input(&all); err != nil || all["name"] != "ada" {
		t.Fatalf("Input: %v %v", all, err)
	}
	if err := m.Progress(0.5, "half"); err != nil {
		t.Fatal(err)
	}
	if err := m.Success(map[string]any{"ok": true}); err != nil || !m.Ended() || m.ExitCode() != 0 {
		t.Fatalf("Success: %v ended %v code %d", err, m.Ended(), m.ExitCode())
	}
	if err := m.Fail("late", "late", nil, 2); err == nil {
		t.Fatal("expected a second terminal event to be refused")
	}
}

func TestInterruptCancelsContext(t *testing.T) {
	m, err := mission.StartStandalone([]string{"test"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Context().Err() != nil {
		t.Fatal("expected a live context at start")
	}
	if err := m.Interrupt(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.Context().Done():
	case <-time.After(5 * time.Second):
		t.Fatal("expected the context cancelled after an interrupt")
	}
	if m.Interrupted() != int(syscall.SIGTERM) {
		t.Fatalf("expected signal 15 recorded, got %d", m.Interrupted())
	}
	if err := m.Fail("stopped", "interrupted", map[string]int{"at": 1}, 143); err != nil || m.ExitCode() != 143 {
		t.Fatalf("Fail: %v code %d", err, m.ExitCode())
	}
}

func TestSignalCancelsContext(t *testing.T) {
	m, err := mission.StartStandalone([]string{"test"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.Context().Done():
	case <-time.After(5 * time.Second):
		t.Fatal("expected SIGINT to cancel the context")
	}
	if m.Interrupted() != int(syscall.SIGINT) {
		t.Fatalf("expected signal 2 recorded, got %d", m.Interrupted())
	}
}

func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	m, err := mission.StartStandalone([]string{"test"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	path, err := m.OutputPath("report")
	if err != nil || path != filepath.Join(m.Workdir(), "out", "report") {
		t.Fatalf("OutputPath: %q %v", path, err)
	}
	if err := os.WriteFile(path, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterOutput("report"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.OutputPath("bad key"); !errors.Is(err, letts.ErrInvalidArgument) {
		t.Fatalf("bad key: expected ErrInvalidArgument, got %v", err)
	}
}

func TestStartUnderDugdaleNeedsWorkdir(t *testing.T) {
	t.Setenv("LETTS_MISSION_ID", "01a20000-0000-7000-8000-000000000001")
	t.Setenv("LETTS_WORKDIR", "")
	_, err := mission.Start()
	if !errors.Is(err, letts.ErrMissingEnv) {
		t.Fatalf("expected ErrMissingEnv without LETTS_WORKDIR, got %v", err)
	}
}
