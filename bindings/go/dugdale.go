package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
)

// Lane is one lane of a dugdale, as GET /v1/lanes reports it.
type Lane struct {
	Name        string `json:"name"`        // lane name
	Concurrency int    `json:"concurrency"` // current concurrency limit
	Paused      bool   `json:"paused"`      // new pickups paused
	Queued      int    `json:"queued"`      // queued missions
	Running     int    `json:"running"`     // running missions
}

// jsonCall runs a libletts call that answers JSON text the caller frees.
func (c *Client) jsonCall(ctx context.Context, host string,
	op func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status) (json.RawMessage, error) {
	chost := cString(host)
	defer freeC(chost)
	var out *C.char
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return op(h, chost, &out, cerr)
	})
	doc := takeJSON(out)
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// DugdaleInfo returns GET /v1/dugdale of host (version, uptime, queue
// summary) as JSON; decode it into the shape you need.
func (c *Client) DugdaleInfo(ctx context.Context, host string) (json.RawMessage, error) {
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_dugdale_info(h, host, out, cerr)
	})
}

// Lanes returns the lanes of host.
func (c *Client) Lanes(ctx context.Context, host string) ([]Lane, error) {
	doc, err := c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_lanes(h, host, out, cerr)
	})
	if err != nil {
		return nil, err
	}
	var lanes []Lane
	if err := json.Unmarshal(doc, &lanes); err != nil {
		return nil, &Error{Status: StatusDispatch, Message: "lanes of " + host + ": " + err.Error()}
	}
	return lanes, nil
}

func (c *Client) laneCall(ctx context.Context, host, lane string, pause bool) error {
	chost, clane := cString(host), cString(lane)
	defer freeC(chost)
	defer freeC(clane)
	return c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		if pause {
			return C.letts_client_pause_lane(h, chost, clane, cerr)
		}
		return C.letts_client_continue_lane(h, chost, clane, cerr)
	})
}

// PauseLane stops new pickups in lane of host (admin token).
func (c *Client) PauseLane(ctx context.Context, host, lane string) error {
	return c.laneCall(ctx, host, lane, true)
}

// ContinueLane resumes pickups in lane of host (admin token).
func (c *Client) ContinueLane(ctx context.Context, host, lane string) error {
	return c.laneCall(ctx, host, lane, false)
}

// AdminApply posts body (marshalled with encoding/json; a json.RawMessage
// is sent as is) to /v1/admin/apply of host and returns the answer.
func (c *Client) AdminApply(ctx context.Context, host string, body any) (json.RawMessage, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Message: "admin apply body: " + err.Error()}
	}
	cbody := C.CString(string(data))
	defer freeC(cbody)
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_admin_apply(h, host, cbody, out, cerr)
	})
}

// AdminState returns GET /v1/admin/state of host (admin token) as JSON.
func (c *Client) AdminState(ctx context.Context, host string) (json.RawMessage, error) {
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_admin_state(h, host, out, cerr)
	})
}

// Healthz checks GET /v1/healthz of host: nil when it answers 2xx; the
// answer is returned as JSON.
func (c *Client) Healthz(ctx context.Context, host string) (json.RawMessage, error) {
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_healthz(h, host, out, cerr)
	})
}

// Version is GET /v1/version of host: {"version","commit","built_at"}.
func (c *Client) Version(ctx context.Context, host string) (json.RawMessage, error) {
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_version(h, host, out, cerr)
	})
}

// Metrics is GET /v1/metrics of host: Prometheus text, as received.
func (c *Client) Metrics(ctx context.Context, host string) (string, error) {
	text, err := c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_metrics(h, host, out, nil, cerr)
	})
	return string(text), err
}

// Readyz checks GET /v1/readyz of host: nil when ready; a dugdale that is
// not ready is an ErrDispatch error with HTTP status 503 and the reason as
// its Code.
func (c *Client) Readyz(ctx context.Context, host string) (json.RawMessage, error) {
	return c.jsonCall(ctx, host, func(h *C.letts_client, host *C.char, out **C.char, cerr **C.letts_error) C.letts_status {
		return C.letts_client_readyz(h, host, out, cerr)
	})
}
