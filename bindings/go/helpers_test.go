package letts_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
	"github.com/letts-project/libletts/bindings/go/devserver"
)

// The suite runs against one embedded devserver whose mission directory
// holds the example C missions of the build (LETTS_TEST_MISSION_DIR, set by
// meson) and the example Go mission, built here as "go_mission".
var (
	srv        *devserver.Server
	goSrv      *devserver.Server
	client     *letts.Client
	missionDir string
	goMission  string
)

const host = devserver.Host

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	cMissions := os.Getenv("LETTS_TEST_MISSION_DIR")
	if cMissions == "" {
		fmt.Fprintln(os.Stderr, "LETTS_TEST_MISSION_DIR must name the build's example C missions (meson test sets it)")
		return 1
	}
	tmp, err := os.MkdirTemp("", "letts-go-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	// The C missions run from the build (they find libletts by their
	// rpath); the Go mission gets a directory and a devserver of its own,
	// built with an rpath to the library under test (LETTS_TEST_LIBDIR).
	missionDir = cMissions
	goMissionDir := filepath.Join(tmp, "missions")
	if err := os.Mkdir(goMissionDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	goMission = filepath.Join(goMissionDir, "go_mission")
	build := exec.Command("go", "build", "-o", goMission, "./mission")
	build.Dir = filepath.Join("..", "..", "examples", "go")
	build.Env = os.Environ()
	if libdir := os.Getenv("LETTS_TEST_LIBDIR"); libdir != "" {
		build.Env = append(build.Env, "CGO_LDFLAGS=-Wl,-rpath,"+libdir)
	}
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building examples/go/mission:", err)
		return 1
	}
	goSrv, err = devserver.Start(devserver.Options{MissionDir: goMissionDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		return 1
	}
	defer goSrv.Close()
	srv, err = devserver.Start(devserver.Options{MissionDir: missionDir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		return 1
	}
	defer srv.Close()
	client = srv.Client()
	// One mission before any test: the devserver makes its mission
	// supervisor (an epoll set and an eventfd in this process) with its first
	// mission, and the descriptor checks of the cancel tests must count the
	// client's descriptors, not that one-time start.
	if _, err := client.Run(context.Background(), job("hello", nil)); err != nil {
		fmt.Fprintln(os.Stderr, "warm-up run:", err)
		return 1
	}
	return m.Run()
}

// job is a job for the shared devserver's default lane.
func job(mission string, input any) letts.Job {
	return letts.Job{Mission: mission, Host: host, Lane: "default", Input: input}
}

// tokenYAML is a letts.yaml for url with the given tokens and dugdales
// (id -> labels), all with lane "default".
func configYAML(url, token, admin string, dugdales map[string][]string) string {
	y := "dugdales:\n"
	ids := make([]string, 0, len(dugdales))
	for id := range dugdales {
		ids = append(ids, id)
	}
	sortStrings(ids)
	for _, id := range ids {
		y += fmt.Sprintf("  - id: %s\n    url: %s\n    token: %q\n    admin_token: %q\n", id, url, token, admin)
		if labels := dugdales[id]; len(labels) > 0 {
			y += "    labels: ["
			for i, l := range labels {
				if i > 0 {
					y += ", "
				}
				y += l
			}
			y += "]\n"
		}
		y += "    lanes:\n      default: {concurrency: 4}\n"
	}
	return y
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// openClient opens a client from YAML text, closed at the end of the test.
func openClient(t *testing.T, yaml string, opts *letts.Options) *letts.Client {
	t.Helper()
	c, err := letts.OpenYAML(yaml, "test letts.yaml", opts)
	if err != nil {
		t.Fatalf("OpenYAML: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor polls cond every 20 ms until it holds or the deadline passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("expected %s within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRunning waits until mission id has status "running".
func waitRunning(t *testing.T, id string) {
	t.Helper()
	waitFor(t, 10*time.Second, "mission "+id+" running", func() bool {
		m, err := client.GetMission(context.Background(), host, id)
		return err == nil && m != nil && m.Status == "running"
	})
}

// killQuietly ends a mission a test left running.
func killQuietly(id string) {
	if id != "" {
		_ = client.Kill(context.Background(), host, id, "KILL")
	}
}

// checkGoroutines fails when the goroutine count does not come back to
// base (no goroutine of a cancelled call may outlive it).
func checkGoroutines(t *testing.T, base int) {
	t.Helper()
	waitFor(t, 2*time.Second, fmt.Sprintf("goroutines back to %d", base), func() bool {
		return runtime.NumGoroutine() <= base
	})
}

// anonFDs counts this process's eventfd, epoll and timerfd descriptors:
// the per-call event loop and cancel objects of libletts. A cancelled call
// must give back every one it made. (The embedded devservers hold some
// per running mission: count with none running.)
func anonFDs() int {
	entries, _ := os.ReadDir("/proc/self/fd")
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil &&
			(target == "anon_inode:[eventfd]" || target == "anon_inode:[eventpoll]" || target == "anon_inode:[timerfd]") {
			n++
		}
	}
	return n
}

// checkHandles fails when the count of such descriptors does not come back
// to base.
func checkHandles(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for anonFDs() > base {
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir("/proc/self/fd")
			var open []string
			for _, e := range entries {
				target, _ := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
				open = append(open, e.Name()+"->"+target)
			}
			t.Fatalf("expected event descriptors back to %d within 2s, open: %v", base, open)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// throttleProxy forwards TCP connections to target, passing at most
// bytesPerTick bytes each 10 ms in each direction, so that an upload or a
// download through it takes long enough to be cancelled in the middle.
type throttleProxy struct {
	ln     net.Listener
	target string
	rate   int
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
}

func startThrottleProxy(t *testing.T, target string, bytesPerTick int) *throttleProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &throttleProxy{ln: ln, target: target, rate: bytesPerTick}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *throttleProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *throttleProxy) serve() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, in, out)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(out, in)
		go p.pipe(in, out)
	}
}

func (p *throttleProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	buf := make([]byte, p.rate)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
		time.Sleep(10 * time.Millisecond) // the throttle, not a synchronisation
	}
	dst.Close()
	src.Close()
}

func (p *throttleProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
