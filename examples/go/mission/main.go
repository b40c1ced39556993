// Command mission is the example Go mission: it works in steps, reports
// progress, can write an output file, and stops cleanly when dugdale kills
// it (SIGTERM cancels the mission's context).
//
// Input (all optional):
//
//	"steps"     number of steps (default 3)
//	"delay_ms"  pause per step in milliseconds (default 0)
//	"text"      when set, written to the output "result"
//	"fail"      when set, the mission fails with this message (reason "asked")
//
// It returns {"steps": N, "lane": L, "standalone": B}. Run it standalone:
//
//	go run ./mission --input='{"steps":2,"text":"hi"}'    (progress on stderr, ./out/result)
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/letts-project/libletts/bindings/go/mission"
)

func main() {
	m, err := mission.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mission:", err)
		os.Exit(1)
	}
	steps, err := m.Int("steps", 3)
	if err != nil {
		m.Fail(err.Error(), "bad_input", nil, 2)
		m.Exit()
	}
	delay, err := m.Int("delay_ms", 0)
	if err != nil {
		m.Fail(err.Error(), "bad_input", nil, 2)
		m.Exit()
	}
	// A line of captured output (stderr, so that standalone stdout stays the
	// return value alone).
	fmt.Fprintf(os.Stderr, "go_mission: %d steps of %d ms\n", steps, delay)
	ctx := m.Context()
	for i := int64(1); i <= steps; i++ {
		select {
		case <-ctx.Done():
			sig := m.Interrupted()
			m.Fail(fmt.Sprintf("interrupted by signal %d at step %d of %d", sig, i, steps),
				"interrupted", map[string]any{"signal": sig, "step": i}, 128+sig)
			m.Exit()
		case <-time.After(time.Duration(delay) * time.Millisecond):
		}
		m.Progress(float64(i)/float64(steps), fmt.Sprintf("step %d", i))
	}
	if msg, _ := m.String("fail", ""); msg != "" {
		m.Fail(msg, "asked", map[string]any{"steps": steps}, 3)
		m.Exit()
	}
	if text, _ := m.String("text", ""); text != "" {
		path, err := m.OutputPath("result")
		if err == nil {
			err = os.WriteFile(path, []byte(text), 0o644)
		}
		if err == nil {
			err = m.RegisterOutput("result")
		}
		if err != nil {
			m.Fail(err.Error(), "output", nil, 1)
			m.Exit()
		}
	}
	m.Success(map[string]any{"steps": steps, "lane": m.Lane(), "standalone": m.Standalone()})
	m.Exit()
}
