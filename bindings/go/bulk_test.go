package letts_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	letts "github.com/letts-project/libletts/bindings/go"
)

// sortedIDs returns the ids of items, sorted.
func sortedIDs(items []letts.BulkItem) []string {
	ids := make([]string, 0, len(items))
	for _, item := range items {
		ids = append(ids, item.ID)
	}
	sort.Strings(ids)
	return ids
}

func TestBulkRestartAndDelete(t *testing.T) {
	ctx := context.Background()
	since := time.Now()
	var mine []string
	for i := 0; i < 2; i++ {
		res, err := client.Run(ctx, letts.Job{Mission: "hello", Host: host, Lane: "default"})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, res.MissionID)
	}
	sort.Strings(mine)
	selector := &letts.ListFilter{Mission: "hello", Status: "done", Since: since}

	// A dry run names the selection and changes nothing.
	dry, err := client.BulkDelete(ctx, host, letts.BulkOptions{Filter: selector, DryRun: true})
	if err != nil || !dry.DryRun || strings.Join(sortedIDs(dry.Items), ",") != strings.Join(mine, ",") || dry.Failed() != nil {
		t.Fatalf("dry run: expected exactly %v, got %+v %v", mine, dry, err)
	}
	for _, id := range mine {
		if m, err := client.GetMission(ctx, host, id); err != nil || m == nil {
			t.Fatalf("after the dry run, %s: expected it still there, got %+v %v", id, m, err)
		}
	}

	// Restart by ids: one item per id, in order, the unknown one failed.
	unknown := uuidv7(t)
	r, err := client.BulkRestart(ctx, host, letts.BulkOptions{IDs: []string{mine[0], unknown}})
	if err != nil || r.DryRun || len(r.Items) != 2 || !r.Items[0].OK || r.Items[0].ID != mine[0] ||
		r.Items[1].OK || r.Items[1].Error != "not_found" || len(r.Failed()) != 1 {
		t.Fatalf("bulk restart: unexpected %+v %v", r, err)
	}
	restarted, err := client.Wait(ctx, host, r.Items[0].MissionID)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := client.GetMission(ctx, host, restarted.MissionID); err != nil || m.RestartedFrom != mine[0] {
		t.Fatalf("the restarted mission: expected restarted_from %s, got %+v %v", mine[0], m, err)
	}

	// Delete by the selector: the two and the restarted one, nothing else.
	d, err := client.BulkDelete(ctx, host, letts.BulkOptions{Filter: selector})
	if err != nil || len(d.Items) != 3 || d.Failed() != nil {
		t.Fatalf("bulk delete: unexpected %+v %v", d, err)
	}
	for _, item := range d.Items {
		if item.Status != "deletion_pending" {
			t.Fatalf("bulk delete item: expected deletion_pending, got %+v", item)
		}
		if m, err := client.GetMission(ctx, host, item.ID); err != nil || m != nil {
			t.Fatalf("after the delete, %s: expected not found, got %+v %v", item.ID, m, err)
		}
	}
}

func TestRestartMissionAnswer(t *testing.T) {
	ctx := context.Background()
	res, err := client.Run(ctx, letts.Job{Mission: "hello", Host: host, Lane: "default"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := client.RestartMission(ctx, host, res.MissionID)
	if err != nil || r.RestartedFrom != res.MissionID || r.Status != "queued" || len(r.MissionID) != 36 {
		t.Fatalf("RestartMission: unexpected %+v %v", r, err)
	}
	m, err := client.GetMission(ctx, host, r.MissionID)
	if err != nil || m.MissionID != r.MissionID || m.RestartedFrom != r.RestartedFrom {
		t.Fatalf("the new mission: expected %+v, got %+v %v", r, m, err)
	}
	if _, err := client.Wait(ctx, host, r.MissionID); err != nil {
		t.Fatal(err)
	}
}

func TestBulkRefusesBadOptions(t *testing.T) {
	ctx := context.Background()
	_, err := client.BulkRestart(ctx, host, letts.BulkOptions{})
	if !errors.Is(err, letts.ErrInvalidArgument) || !strings.Contains(err.Error(), "ids or a filter") {
		t.Fatalf("no selection: expected ErrInvalidArgument naming ids or a filter, got %v", err)
	}
	_, err = client.BulkDelete(ctx, host, letts.BulkOptions{IDs: []string{""}})
	if !errors.Is(err, letts.ErrInvalidArgument) || !strings.Contains(err.Error(), "ids[0]") {
		t.Fatalf("an empty id: expected ErrInvalidArgument naming ids[0], got %v", err)
	}
	_, err = client.BulkDelete(ctx, "", letts.BulkOptions{IDs: []string{uuidv7(t)}})
	if !errors.Is(err, letts.ErrBadRequest) || !strings.Contains(err.Error(), "host is required for bulkDelete") {
		t.Fatalf("no host: expected ErrBadRequest, got %v", err)
	}
}
