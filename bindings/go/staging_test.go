package letts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	letts "github.com/letts-project/libletts/bindings/go"
)

func TestStagingUploadHeadDownloadDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	content := bytes.Repeat([]byte("staging bytes from Go\n"), 3000)
	src := filepath.Join(dir, "src.bin")
	if err := os.WriteFile(src, content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])

	f, err := client.StageFile(ctx, host, src)
	if err != nil || f.SHA256 != want || f.Size != uint64(len(content)) || len(f.StagingID) != 36 {
		t.Fatalf("StageFile: unexpected %+v %v", f, err)
	}
	h, err := client.StagingHead(ctx, host, f.StagingID)
	if err != nil || h.State != "complete" || h.SHA256 != want || h.Size != uint64(len(content)) {
		t.Fatalf("StagingHead: unexpected %+v %v", h, err)
	}
	dest := filepath.Join(dir, "whole.bin")
	if err := client.DownloadStaging(ctx, host, f.StagingID, letts.StagingRange{}, dest); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, content) {
		t.Fatalf("DownloadStaging: %d bytes differ from the %d uploaded", len(got), len(content))
	}
	var part bytes.Buffer
	if err := client.ReadStaging(ctx, host, f.StagingID, letts.StagingRange{Offset: 100, Length: 50}, &part); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(part.Bytes(), content[100:150]) {
		t.Fatalf("ReadStaging range: got %q", part.Bytes())
	}

	found, err := client.StagingByContent(ctx, host, letts.ScopeAdmin, want, uint64(len(content)))
	if err != nil || found.SHA256 != want {
		t.Fatalf("StagingByContent (admin): unexpected %+v %v", found, err)
	}
	if _, err := client.StagingByContent(ctx, host, letts.ScopeDispatch, want, uint64(len(content))); !errors.Is(err, letts.ErrAuth) {
		t.Fatalf("StagingByContent with the dispatch token: expected ErrAuth, got %v", err)
	}

	if err := client.DeleteStaging(ctx, host, f.StagingID, false); err != nil {
		t.Fatal(err)
	}
	if h, err := client.StagingHead(ctx, host, f.StagingID); err != nil || h.State != "deleting" {
		t.Fatalf("StagingHead after delete: unexpected %+v %v", h, err)
	}
	after := filepath.Join(dir, "after.bin")
	if err := client.DownloadStaging(ctx, host, f.StagingID, letts.StagingRange{}, after); !errors.Is(err, letts.ErrStaging) {
		t.Fatalf("DownloadStaging after delete: expected ErrStaging, got %v", err)
	}
	if _, err := os.Stat(after + ".partial"); !os.IsNotExist(err) {
		t.Fatalf("a .partial file was left behind: %v", err)
	}
	if _, err := client.StagingHead(ctx, host, "01923b6e-7a02-7d11-8e3f-0a1b2c3d4e5f"); !errors.Is(err, letts.ErrNotFound) {
		t.Fatalf("StagingHead of an unknown id: expected ErrNotFound, got %v", err)
	}
}

func TestStagingListOfAMission(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "input.txt")
	if err := os.WriteFile(src, []byte("listed input\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := client.Run(ctx, letts.Job{Mission: "hello", Host: host, Lane: "default", Files: map[string]string{"report": src}})
	if err != nil {
		t.Fatal(err)
	}
	page, err := client.ListStaging(ctx, host, letts.StagingListOptions{MissionID: res.MissionID, RefKind: "input"})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].Role != "report" || page.Entries[0].Size != 13 {
		t.Fatalf("ListStaging: unexpected %+v %v", page, err)
	}
	if _, err := client.ListStaging(ctx, host, letts.StagingListOptions{}); !errors.Is(err, letts.ErrBadRequest) {
		t.Fatalf("ListStaging without a mission id: expected ErrBadRequest, got %v", err)
	}
}
