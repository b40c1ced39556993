package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
)

// RestartResult is the daemon's whole answer to a restart.
type RestartResult struct {
	MissionID     string // the new mission
	RestartedFrom string // the mission restarted
	Status        string // the new mission's status: "queued"
}

// RestartMission starts finished mission id of host again as a new mission
// (admin token) and returns the daemon's whole answer; Restart gives the
// new id only. Never retried: each restart creates another mission.
func (c *Client) RestartMission(ctx context.Context, host, id string) (*RestartResult, error) {
	a := newHostArgs(host, id)
	defer a.free()
	var out *C.letts_restart_result
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_restart_mission(h, a.host, a.id, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_restart_result_free(out)
	return &RestartResult{
		MissionID:     goStringOpt(C.letts_restart_result_mission_id(out)),
		RestartedFrom: goStringOpt(C.letts_restart_result_restarted_from(out)),
		Status:        goStringOpt(C.letts_restart_result_status(out)),
	}, nil
}

// BulkOptions chooses what BulkRestart and BulkDelete act on: IDs, or the
// missions on the first page that Filter lists (kind "mission" unless the
// filter names a kind) — one of the two.
type BulkOptions struct {
	IDs    []string    // at most 1000, sent as given
	Filter *ListFilter // the selector
	DryRun bool        // select and report, send nothing
	Force  bool        // BulkDelete: also running missions (killed first)
}

// BulkItem is what the daemon did with one selected id.
type BulkItem struct {
	ID        string          // the selected id
	OK        bool            // acted on
	MissionID string          // BulkRestart: the new mission
	Status    string          // BulkDelete: "deletion_pending"
	Error     string          // the single route's error code when not OK
	Details   json.RawMessage // its details, when it has some
}

// BulkResult is the answer to BulkRestart or BulkDelete: one item per
// selected id, in order. DryRun: nothing was sent.
type BulkResult struct {
	DryRun bool
	Items  []BulkItem
}

// Failed returns the items the daemon did not act on (none for a dry run).
func (r *BulkResult) Failed() []BulkItem {
	var failed []BulkItem
	if r.DryRun {
		return nil
	}
	for _, item := range r.Items {
		if !item.OK {
			failed = append(failed, item)
		}
	}
	return failed
}

// BulkRestart restarts the missions opts selects on host in one request
// (admin token). A failed id is an item of the result, not an error.
// Never retried: every restarted id is a new mission.
func (c *Client) BulkRestart(ctx context.Context, host string, opts BulkOptions) (*BulkResult, error) {
	return c.bulk(ctx, host, opts, true)
}

// BulkDelete deletes the missions opts selects on host in one request
// (admin token; opts.Force for running ones). Follows the retry policy:
// deleting is idempotent.
func (c *Client) BulkDelete(ctx context.Context, host string, opts BulkOptions) (*BulkResult, error) {
	return c.bulk(ctx, host, opts, false)
}

func (opts *BulkOptions) cOptions() (*C.letts_bulk_options, error) {
	var cf *C.letts_list_filter
	if opts.Filter != nil {
		var err error
		if cf, err = opts.Filter.cFilter(); err != nil {
			return nil, err
		}
		defer C.letts_list_filter_free(cf)
	}
	var o *C.letts_bulk_options
	var cerr *C.letts_error
	if st := C.letts_bulk_options_new(&o, &cerr); st != C.LETTS_OK {
		return nil, errorFrom(nil, st, cerr)
	}
	ids := newCStringArray(opts.IDs)
	defer ids.free()
	st := C.letts_bulk_options_set_ids(o, ids.ptr, ids.n, &cerr)
	if st == C.LETTS_OK && cf != nil {
		st = C.letts_bulk_options_set_filter(o, cf, &cerr)
	}
	if st == C.LETTS_OK {
		st = C.letts_bulk_options_set_dry_run(o, boolInt(opts.DryRun), &cerr)
	}
	if st == C.LETTS_OK {
		st = C.letts_bulk_options_set_force(o, boolInt(opts.Force), &cerr)
	}
	if st != C.LETTS_OK {
		C.letts_bulk_options_free(o)
		return nil, errorFrom(nil, st, cerr)
	}
	return o, nil
}

func (c *Client) bulk(ctx context.Context, host string, opts BulkOptions, restart bool) (*BulkResult, error) {
	co, err := opts.cOptions()
	if err != nil {
		return nil, err
	}
	defer C.letts_bulk_options_free(co)
	chost := cString(host)
	defer freeC(chost)
	var out *C.letts_bulk_result
	err = c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		if restart {
			return C.letts_client_bulk_restart(h, chost, co, &out, cerr)
		}
		return C.letts_client_bulk_delete(h, chost, co, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_bulk_result_free(out)
	r := &BulkResult{DryRun: C.letts_bulk_result_dry_run(out) != 0}
	n := int(C.letts_bulk_result_count(out))
	for i := 0; i < n; i++ {
		ci := C.size_t(i)
		r.Items = append(r.Items, BulkItem{
			ID:        goStringOpt(C.letts_bulk_result_id(out, ci)),
			OK:        C.letts_bulk_result_ok(out, ci) != 0,
			MissionID: goStringOpt(C.letts_bulk_result_mission_id(out, ci)),
			Status:    goStringOpt(C.letts_bulk_result_status(out, ci)),
			Error:     goStringOpt(C.letts_bulk_result_error(out, ci)),
			Details:   rawJSON(C.letts_bulk_result_details_json(out, ci)),
		})
	}
	return r, nil
}
