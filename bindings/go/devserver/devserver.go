// Package devserver starts an embedded letts-devserver — a
// dugdale-compatible server with the same HTTP API that runs real mission
// processes — inside the test process, and hands out a ready *letts.Client
// for it. For tests of code that talks to dugdale:
//
//	srv, err := devserver.Start(devserver.Options{MissionDir: "testdata/missions"})
//	if err != nil { t.Fatal(err) }
//	defer srv.Close()
//	res, err := srv.Client().Run(ctx, letts.Job{Mission: "hello", Host: "devserver", Lane: "default"})
package devserver

/*
#cgo pkg-config: letts
#include <stdlib.h>
#include <letts/letts.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	letts "github.com/letts-project/libletts/bindings/go"
)

// Host is the dugdale id of the server in the client configuration
// (ClientConfig) it generates.
const Host = "devserver"

// Options say how to start a server; the zero value listens on a free port
// of 127.0.0.1 with lane "default" (concurrency 4) and runs
// <MissionDir>/<mission> directly.
type Options struct {
	// ConfigFile is a dugdale.yaml to behave like (nothing applied yet).
	ConfigFile string
	// ConfigYAML is the text of a dugdale.yaml (instead of ConfigFile).
	ConfigYAML string
	// Port to listen on (0: a free port).
	Port int
	// MissionDir is the mission directory of the default runtime (the
	// working directory when empty).
	MissionDir string
	// Client are the options of the client Client returns (nil: defaults).
	Client *letts.Options
}

// Server is a running devserver with a client for it.
type Server struct {
	h      *C.letts_devserver
	client *letts.Client
}

func statusError(st C.letts_status, cerr *C.letts_error) error {
	defer C.letts_error_free(cerr)
	return &letts.Error{
		Status:  letts.Status(st),
		Message: C.GoString(C.letts_error_message(cerr)),
	}
}

// Start starts a server and returns it once it answers /v1/readyz, with a
// client configured for it (Client). Close it when done.
func Start(opts Options) (*Server, error) {
	var o *C.letts_devserver_options
	var cerr *C.letts_error
	if st := C.letts_devserver_options_new(&o, &cerr); st != C.LETTS_OK {
		return nil, statusError(st, cerr)
	}
	defer C.letts_devserver_options_free(o)
	st := C.letts_status(C.LETTS_OK)
	setString := func(v string, set func(*C.char) C.letts_status) {
		if st != C.LETTS_OK || v == "" {
			return
		}
		cs := C.CString(v)
		defer C.free(unsafe.Pointer(cs))
		st = set(cs)
	}
	setString(opts.ConfigFile, func(v *C.char) C.letts_status { return C.letts_devserver_options_set_config_file(o, v, &cerr) })
	setString(opts.ConfigYAML, func(v *C.char) C.letts_status { return C.letts_devserver_options_set_config_yaml(o, v, &cerr) })
	setString(opts.MissionDir, func(v *C.char) C.letts_status { return C.letts_devserver_options_set_mission_dir(o, v, &cerr) })
	if st == C.LETTS_OK && opts.Port != 0 {
		st = C.letts_devserver_options_set_port(o, C.int(opts.Port), &cerr)
	}
	if st != C.LETTS_OK {
		return nil, statusError(st, cerr)
	}
	srv := &Server{}
	if st := C.letts_devserver_start(&srv.h, o, &cerr); st != C.LETTS_OK {
		return nil, statusError(st, cerr)
	}
	client, err := letts.OpenYAML(srv.ClientConfig(), "devserver letts.yaml", opts.Client)
	if err != nil {
		srv.Close()
		return nil, err
	}
	srv.client = client
	// A server started from a dugdale.yaml has nothing applied, and
	// readyz answers 503 until something is: wait for healthz then.
	applied := opts.ConfigFile == "" && opts.ConfigYAML == ""
	if err := srv.waitReady(10*time.Second, applied); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

// waitReady polls /v1/readyz (/v1/healthz when nothing is applied yet)
// until it answers or the deadline passes.
func (s *Server) waitReady(limit time.Duration, applied bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	probe := s.client.Readyz
	if !applied {
		probe = s.client.Healthz
	}
	for {
		_, err := probe(ctx, Host)
		if err == nil {
			return nil
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("devserver at %s not ready within %v: %w", s.URL(), limit, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Client is a client whose letts.yaml names this server (id Host); it is
// closed by Close.
func (s *Server) Client() *letts.Client { return s.client }

// URL is the base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return C.GoString(C.letts_devserver_url(s.h)) }

// Port is the port actually listened on.
func (s *Server) Port() int { return int(C.letts_devserver_port(s.h)) }

// DispatchToken is the first dispatch token ("" when none).
func (s *Server) DispatchToken() string { return C.GoString(C.letts_devserver_dispatch_token(s.h)) }

// AdminToken is the first admin token ("" when none).
func (s *Server) AdminToken() string { return C.GoString(C.letts_devserver_admin_token(s.h)) }

// DataDir is the server's data directory (removed on Close when it was
// created by the server).
func (s *Server) DataDir() string { return C.GoString(C.letts_devserver_data_dir(s.h)) }

// ClientConfig is a letts.yaml text naming this server (id Host), its
// tokens and lanes.
func (s *Server) ClientConfig() string { return C.GoString(C.letts_devserver_client_config(s.h)) }

// Close closes the client and stops the server: running missions end as
// killed, every mission process is killed and reaped. Idempotent.
func (s *Server) Close() error {
	if s.client != nil {
		s.client.Close()
		s.client = nil
	}
	if s.h != nil {
		C.letts_devserver_free(s.h)
		s.h = nil
	}
	return nil
}
