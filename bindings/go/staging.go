package letts

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"io"
)

// StagedFile is a file in a dugdale's staging store: its id, the sha256 of
// its content (lower-case hex) and its size in bytes.
type StagedFile struct {
	StagingID string
	SHA256    string
	Size      uint64
}

// StagingHead is what HEAD /v1/staging/{id} says of an id. State is
// "complete", "incomplete", "deleting", "pending_output" or "committing";
// Size and BytesReceived are 0 where the state carries none.
type StagingHead struct {
	State         string
	SHA256        string
	Size          uint64
	BytesReceived uint64
}

// StagingRange is part of a staging file: Length 0 means to the end; the
// zero value is the whole file.
type StagingRange struct {
	Offset uint64
	Length uint64
}

// StagingListOptions filters ListStaging: MissionID is required by the
// daemon; RefKind ("input", "output", "script"), Cursor (a NextCursor) and
// Limit (0: the daemon's 100) are optional.
type StagingListOptions struct {
	MissionID string
	RefKind   string
	Cursor    string
	Limit     uint64
}

// StagingEntry is one row of ListStaging.
type StagingEntry struct {
	StagingID     string
	State         string
	SHA256        string
	RefKind       string
	Role          string
	Size          int64
	BytesReceived int64
	TimeCreated   int64 // Unix milliseconds
	TimeExpires   int64 // Unix milliseconds; math.MaxInt64 while pinned
}

// StagingPage is a page of ListStaging; NextCursor is "" on the last one.
type StagingPage struct {
	Entries    []StagingEntry
	NextCursor string
}

func stagedFrom(f *C.letts_staged_file) *StagedFile {
	return &StagedFile{
		StagingID: goStringOpt(C.letts_staged_file_id(f)),
		SHA256:    goStringOpt(C.letts_staged_file_sha256(f)),
		Size:      uint64(C.letts_staged_file_size(f)),
	}
}

// StageFile uploads the local file at path to host under a new staging id
// (dispatch token), resuming an interrupted upload from the byte the daemon
// holds, and returns the id, sha256 and size.
func (c *Client) StageFile(ctx context.Context, host, path string) (*StagedFile, error) {
	a := newHostArgs(host, path)
	defer a.free()
	var out *C.letts_staged_file
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_stage_file(h, a.host, a.id, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_staged_file_free(out)
	return stagedFrom(out), nil
}

// StagingHead probes staging id on host (dispatch token); an unknown id is
// an error with ErrNotFound.
func (c *Client) StagingHead(ctx context.Context, host, id string) (*StagingHead, error) {
	a := newHostArgs(host, id)
	defer a.free()
	var out *C.letts_staging_head
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_staging_head(h, a.host, a.id, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_staging_head_free(out)
	return &StagingHead{
		State:         goStringOpt(C.letts_staging_head_state(out)),
		SHA256:        goStringOpt(C.letts_staging_head_sha256(out)),
		Size:          uint64(C.letts_staging_head_size(out)),
		BytesReceived: uint64(C.letts_staging_head_bytes_received(out)),
	}, nil
}

// DownloadStaging writes staging file id of host (or rng of it) to path,
// verified against the size and sha256 the daemon announces, through
// path + ".partial", which no failure leaves behind.
func (c *Client) DownloadStaging(ctx context.Context, host, id string, rng StagingRange, path string) error {
	a := newHostArgs(host, id)
	defer a.free()
	cpath := cStringAlways(path)
	defer freeC(cpath)
	return c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_staging_download(h, a.host, a.id, C.uint64_t(rng.Offset), C.uint64_t(rng.Length), cpath, cerr)
	})
}

// ReadStaging writes staging file id of host (or rng of it) to w as it
// arrives. The checks run as the bytes arrive: on an error w may already
// hold bytes of a body that then failed them. A write error stops the
// transfer and is returned.
func (c *Client) ReadStaging(ctx context.Context, host, id string, rng StagingRange, w io.Writer) error {
	a := newHostArgs(host, id)
	defer a.free()
	handler := func(data []byte) error {
		_, err := w.Write(data)
		return err
	}
	return c.streamCall(ctx, handler, func(h *C.letts_client, handle C.uintptr_t, cerr **C.letts_error) C.letts_status {
		return C.letts_go_staging_read(h, a.host, a.id, C.uint64_t(rng.Offset), C.uint64_t(rng.Length), handle, cerr)
	})
}

// ListStaging lists the staging files mission opts.MissionID references on
// host (admin token), newest first.
func (c *Client) ListStaging(ctx context.Context, host string, opts StagingListOptions) (*StagingPage, error) {
	chost, cmission, ckind, ccursor := cString(host), cString(opts.MissionID), cString(opts.RefKind), cString(opts.Cursor)
	defer func() { freeC(chost); freeC(cmission); freeC(ckind); freeC(ccursor) }()
	var out *C.letts_staging_list
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_staging_list(h, chost, cmission, ckind, C.uint64_t(opts.Limit), ccursor, &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_staging_list_free(out)
	page := &StagingPage{NextCursor: goStringOpt(C.letts_staging_list_next_cursor(out))}
	for i := C.size_t(0); i < C.letts_staging_list_count(out); i++ {
		page.Entries = append(page.Entries, StagingEntry{
			StagingID:     goStringOpt(C.letts_staging_list_id(out, i)),
			State:         goStringOpt(C.letts_staging_list_state(out, i)),
			SHA256:        goStringOpt(C.letts_staging_list_sha256(out, i)),
			RefKind:       goStringOpt(C.letts_staging_list_ref_kind(out, i)),
			Role:          goStringOpt(C.letts_staging_list_role(out, i)),
			Size:          int64(C.letts_staging_list_size(out, i)),
			BytesReceived: int64(C.letts_staging_list_bytes_received(out, i)),
			TimeCreated:   int64(C.letts_staging_list_time_created(out, i)),
			TimeExpires:   int64(C.letts_staging_list_time_expires(out, i)),
		})
	}
	return page, nil
}

// DeleteStaging deletes staging file id of host (admin token); a file a
// mission references needs force, which also deletes those missions.
func (c *Client) DeleteStaging(ctx context.Context, host, id string, force bool) error {
	a := newHostArgs(host, id)
	defer a.free()
	return c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_staging_delete(h, a.host, a.id, boolInt(force), cerr)
	})
}

// StagingByContent finds a complete staging file of host with this sha256
// and size, presenting the token of scope (ScopeExec or ScopeAdmin; the
// daemon refuses a dispatch token). No such file is an error with
// ErrNotFound.
func (c *Client) StagingByContent(ctx context.Context, host string, scope Scope, sha256 string, size uint64) (*StagedFile, error) {
	a := newHostArgs(host, sha256)
	defer a.free()
	var out *C.letts_staged_file
	err := c.call(ctx, func(h *C.letts_client, cerr **C.letts_error) C.letts_status {
		return C.letts_client_staging_by_content(h, a.host, C.letts_scope(scope), a.id, C.uint64_t(size), &out, cerr)
	})
	if err != nil {
		return nil, err
	}
	defer C.letts_staged_file_free(out)
	return stagedFrom(out), nil
}
