// Command go-run-vs-c measures the cost of the Go binding: the Go
// client.Run of a trivial mission against C's letts_client_run of the same
// job on the same devserver, interleaved (C, Go, Go with a cancellable
// context, C, ...), N runs each, in one process, so both see the same
// server, machine load and connection cache behaviour. The devserver runs
// in a separate process (this program again, with -serve) so that the CPU
// time measured (getrusage of this process) is the client's alone.
//
//	cd bench/go
//	PKG_CONFIG_PATH=../../build/meson-uninstalled LD_LIBRARY_PATH=../../build/src \
//	  go run . -missions ../../build/examples/c/missions
package main

/*
#cgo pkg-config: letts
#include <stdlib.h>
#include <string.h>
#include <letts/letts.h>

// The C baseline: exactly what a C program does for one run.
static int c_run(const letts_client *client, const letts_job *job) {
    letts_run_result *result = NULL;
    letts_status st = letts_client_run(client, job, NULL, &result, NULL);
    int ok = st == LETTS_OK && letts_run_result_is_success(result);
    letts_run_result_free(result);
    return ok;
}

static letts_client *c_client(const char *yaml) {
    letts_config *cfg = NULL;
    letts_client *client = NULL;
    if (letts_config_load_string(&cfg, yaml, strlen(yaml), "letts.yaml", NULL) == LETTS_OK)
        letts_client_new(&client, cfg, NULL, NULL);
    letts_config_free(cfg);
    return client;
}

static letts_job *c_job(void) {
    letts_job *job = NULL;
    if (letts_job_new(&job, "hello", NULL) != LETTS_OK) return NULL;
    letts_job_set_host(job, "devserver", NULL);
    letts_job_set_lane(job, "default", NULL);
    letts_job_set_input_json(job, "{\"n\":1}", NULL);
    return job;
}
*/
import "C"

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
	"unsafe"

	letts "github.com/letts-project/libletts/bindings/go"
	"github.com/letts-project/libletts/bindings/go/devserver"
)

type sample struct{ wall, cpu time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func measure(f func() bool) sample {
	c0, t0 := cpuNow(), time.Now()
	if !f() {
		fmt.Fprintln(os.Stderr, "go-run-vs-c: a run failed")
		os.Exit(1)
	}
	return sample{time.Since(t0), cpuNow() - c0}
}

func stats(s []sample) (wallMed, wallSum, cpuSum time.Duration) {
	walls := make([]time.Duration, len(s))
	for i, x := range s {
		walls[i] = x.wall
		wallSum += x.wall
		cpuSum += x.cpu
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	return walls[len(walls)/2], wallSum, cpuSum
}

// serve is the server process: an embedded devserver (devserver.Start)
// that prints its letts.yaml, then runs until its stdin is closed.
func serve(missions string) {
	srv, err := devserver.Start(devserver.Options{MissionDir: missions})
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-run-vs-c: devserver:", err)
		os.Exit(1)
	}
	fmt.Print(srv.ClientConfig())
	fmt.Println("# end")
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
}

// startServer runs this program again as the server process and returns
// the letts.yaml it printed.
func startServer(missions string) (*exec.Cmd, io.Closer, string) {
	self, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(self, "-serve", "-missions", missions)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		panic(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		panic(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "go-run-vs-c:", err)
		os.Exit(1)
	}
	var yaml strings.Builder
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "# end" {
		yaml.WriteString(sc.Text() + "\n")
	}
	return cmd, stdin, yaml.String()
}

func main() {
	asServer := flag.Bool("serve", false, "(internal) be the server process")
	missions := flag.String("missions", "../../build/examples/c/missions", "mission directory (needs hello)")
	n := flag.Int("n", 200, "runs of each kind")
	flag.Parse()
	if *asServer {
		serve(*missions)
		return
	}

	server, stop, yaml := startServer(*missions)
	defer func() {
		stop.Close()
		server.Wait()
	}()

	cyaml := C.CString(yaml)
	defer C.free(unsafe.Pointer(cyaml))
	cClient := C.c_client(cyaml)
	cJob := C.c_job()
	if cClient == nil || cJob == nil {
		fmt.Fprintln(os.Stderr, "go-run-vs-c: C client or job could not be made")
		os.Exit(1)
	}
	defer C.letts_client_free(cClient)
	defer C.letts_job_free(cJob)
	client, err := letts.OpenYAML(yaml, "letts.yaml", nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-run-vs-c:", err)
		os.Exit(1)
	}
	defer client.Close()
	job := letts.Job{Mission: "hello", Host: "devserver", Lane: "default", Input: map[string]any{"n": 1}}
	goRun := func(ctx context.Context) func() bool {
		return func() bool {
			res, err := client.Run(ctx, job)
			return err == nil && res.Success()
		}
	}
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Warm-up: connections, the mission binary in the page cache.
	for i := 0; i < 10; i++ {
		measure(func() bool { return C.c_run(cClient, cJob) == 1 })
		measure(goRun(context.Background()))
	}
	var cs, gs, gcs []sample
	for i := 0; i < *n; i++ {
		cs = append(cs, measure(func() bool { return C.c_run(cClient, cJob) == 1 }))
		gs = append(gs, measure(goRun(context.Background())))
		gcs = append(gcs, measure(goRun(cancellable)))
	}
	cMed, cWall, cCPU := stats(cs)
	fmt.Printf("%d runs each of mission hello, interleaved; devserver in a separate process\n\n", *n)
	fmt.Printf("%-34s %12s %12s %12s %8s %8s\n", "", "median wall", "total wall", "total CPU", "wall ×", "CPU ×")
	row := func(name string, s []sample) {
		med, wall, cpu := stats(s)
		fmt.Printf("%-34s %12v %12v %12v %8.3f %8.3f\n", name, med.Round(time.Microsecond),
			wall.Round(time.Millisecond), cpu.Round(time.Millisecond),
			float64(wall)/float64(cWall), float64(cpu)/float64(cCPU))
	}
	fmt.Printf("%-34s %12v %12v %12v %8s %8s\n", "C letts_client_run", cMed.Round(time.Microsecond),
		cWall.Round(time.Millisecond), cCPU.Round(time.Millisecond), "1", "1")
	row("Go Run, context.Background()", gs)
	row("Go Run, cancellable context", gcs)
}
