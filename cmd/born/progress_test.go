package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The progress report counts "k of N" from 1 and estimates the time left
// from the mean duration of finished jobs of the same kind (of all jobs for
// a new kind), leaving out skipped jobs.
func TestJobProgressETA(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(1000, 0)
	p := newJobProgress(&buf, false, true, "task", []string{"a", "a", "b", "", "a"})
	p.now = func() time.Time { return clock }
	p.start = clock
	run := func(label, kind string, d time.Duration, state string, skipped bool) {
		p.begin(label, kind)
		clock = clock.Add(d)
		p.end(state, skipped)
	}
	run("x", "a", 2*time.Second, "done", false)
	run("y", "a", 4*time.Second, "done", false)
	run("z", "b", 9*time.Second, "done", false)
	run("w", "", 10*time.Millisecond, "already finished", true)
	run("v", "a", 3*time.Second, "done", false)
	p.finish()
	want := []string{
		// a's mean is 2s: two more a (2s each) and a b (mean of all, 2s).
		"task 1 of 5: x done in 2s; elapsed 2s, ETA 6s",
		// a's mean is 3s; b is new: the mean of all, 3s.
		"task 2 of 5: y done in 4s; elapsed 6s, ETA 6s",
		"task 3 of 5: z done in 9s; elapsed 15s, ETA 3s",
		"task 4 of 5: w already finished; elapsed 15s, ETA 3s",
		"task 5 of 5: v done in 3s; elapsed 18s, ETA 0s",
	}
	got := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// On a terminal the status line carries a bar, k of N, the running job's
// steps and the estimate, which for a first job comes from its steps.
func TestJobProgressLive(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(1000, 0)
	p := &jobProgress{w: &buf, live: true, lines: true, noun: "trial", total: 2, kinds: []string{"m", "m"},
		now: func() time.Time { return clock }, durs: map[string][]time.Duration{}}
	p.start = clock
	p.begin("m seed 1", "m")
	clock = clock.Add(3 * time.Second)
	p.step(250, 1000, "step 250/1000  KL 0.5")
	line := buf.String()[strings.LastIndex(buf.String(), "\r"):]
	// 3 s for a quarter: 9 s left in this trial, 12 s for the next.
	for _, want := range []string{"[==>", "trial 1 of 2: m seed 1", "step 250/1000", "elapsed 3s", "ETA 21s"} {
		if !strings.Contains(line, want) {
			t.Errorf("status line %q lacks %q", line, want)
		}
	}
	p.finish()
}
