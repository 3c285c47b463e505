package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// jobProgress reports progress through a list of jobs (the trials of a
// comparison, the tasks of a sweep): "k of N", the elapsed time and an
// estimate of the time left. On a terminal (live) it keeps one status line
// with a bar up to date, redrawn by a ticker while a job runs; with lines
// set it prints a line when each job ends (what a log keeps).
//
// The estimate of the time left is the sum, over the jobs still to run, of
// the mean duration of finished jobs of the same kind (a model name, say),
// or of all finished jobs for a kind not seen yet; the running job's share
// is its estimate less the time it has run, or its elapsed time scaled by
// the fraction of its steps still to go when it reports steps.
type jobProgress struct {
	w     io.Writer
	live  bool
	lines bool
	noun  string   // what a job is called: trial, task
	total int      // jobs in all
	kinds []string // kind of each job, in order, for the estimate
	now   func() time.Time

	mu       sync.Mutex
	start    time.Time
	done     int
	durs     map[string][]time.Duration
	all      []time.Duration
	cur      string // the running job's label
	curKind  string
	curStart time.Time
	frac     float64 // fraction of the running job done, from its steps
	detail   string  // the running job's step and metric
	lastDraw time.Time
	drawn    bool
	stop     chan struct{}
	wg       sync.WaitGroup
}

// newJobProgress returns a progress report over jobs of the given kinds, in
// the order they will run, each called noun.
func newJobProgress(w io.Writer, live, lines bool, noun string, kinds []string) *jobProgress {
	p := &jobProgress{w: w, live: live, lines: lines, noun: noun, total: len(kinds), kinds: kinds, now: time.Now,
		durs: map[string][]time.Duration{}}
	p.start = p.now()
	if live {
		p.stop = make(chan struct{})
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-t.C:
					p.mu.Lock()
					p.draw(true)
					p.mu.Unlock()
				}
			}
		}()
	}
	return p
}

// begin notes that the next job, labelled label, has started.
func (p *jobProgress) begin(label, kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cur, p.curKind, p.curStart, p.frac, p.detail = label, kind, p.now(), 0, ""
	p.draw(true)
}

// step reports the running job's progress: steps done of total, and a
// short detail such as its current KL.
func (p *jobProgress) step(done, total int, detail string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total > 0 {
		p.frac = min(1, float64(done)/float64(total))
	}
	p.detail = detail
	p.draw(false)
}

// end notes that the running job finished, with a word on how (done,
// already finished, ...); skipped jobs (already finished) do not count
// towards the estimate.
func (p *jobProgress) end(state string, skipped bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.now().Sub(p.curStart)
	if !skipped {
		p.durs[p.curKind] = append(p.durs[p.curKind], d)
		p.all = append(p.all, d)
	}
	p.done++
	if p.done <= len(p.kinds) {
		p.kinds[p.done-1] = "" // no longer to run
	}
	p.clearLine()
	label := p.cur
	p.cur, p.detail, p.frac = "", "", 0
	if !p.lines {
		return
	}
	took := ""
	if !skipped {
		took = " in " + roundDuration(d)
	}
	fmt.Fprintf(p.w, "%s %d of %d: %s %s%s; elapsed %s, ETA %s\n", p.noun, p.done, p.total, label, state, took,
		roundDuration(p.now().Sub(p.start)), p.eta())
}

// finish stops the ticker and clears the status line.
func (p *jobProgress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.wg.Wait()
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
}

// mean returns the mean finished duration of kind, or of all jobs.
func (p *jobProgress) mean(kind string) (time.Duration, bool) {
	ds := p.durs[kind]
	if len(ds) == 0 {
		ds = p.all
	}
	if len(ds) == 0 {
		return 0, false
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds)), true
}

// eta returns the estimated time left, or "--" before anything is known.
// Before any job has finished, the running job's projected duration (from
// the fraction of its steps done) stands in for every job's.
func (p *jobProgress) eta() string {
	var left time.Duration
	projected, haveProjection := time.Duration(0), false
	if p.cur != "" && p.frac > 0 {
		projected = time.Duration(float64(p.now().Sub(p.curStart)) / p.frac)
		haveProjection = true
	}
	estimate := func(kind string) (time.Duration, bool) {
		if d, ok := p.mean(kind); ok {
			return d, true
		}
		return projected, haveProjection
	}
	if p.cur != "" {
		ran := p.now().Sub(p.curStart)
		if haveProjection && len(p.durs[p.curKind]) == 0 {
			left += projected - ran
		} else if est, ok := estimate(p.curKind); ok {
			left += max(0, est-ran)
		} else {
			return "--"
		}
	}
	for i, k := range p.kinds {
		if i < p.done || k == "" || (p.cur != "" && i == p.done) {
			continue
		}
		est, ok := estimate(k)
		if !ok {
			return "--"
		}
		left += est
	}
	return roundDuration(left)
}

// draw redraws the status line (live only), at most ten times a second
// unless force is set.
func (p *jobProgress) draw(force bool) {
	if !p.live || p.cur == "" {
		return
	}
	now := p.now()
	if !force && p.drawn && now.Sub(p.lastDraw) < 100*time.Millisecond {
		return
	}
	p.lastDraw, p.drawn = now, true
	const width = 20
	frac := (float64(p.done) + p.frac) / float64(max(1, p.total))
	n := int(frac * width)
	bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
	if n < width {
		bar = strings.Repeat("=", n) + ">" + strings.Repeat(" ", width-n-1)
	}
	detail := ""
	if p.detail != "" {
		detail = "  " + p.detail
	}
	fmt.Fprintf(p.w, "\r\033[K[%s] %s %d of %d: %s%s  elapsed %s  ETA %s", bar, p.noun, p.done+1, p.total, p.cur, detail,
		roundDuration(now.Sub(p.start)), p.eta())
}

func (p *jobProgress) clearLine() {
	if p.live && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// roundDuration prints d to a second above ten seconds, to 0.1 s below.
func roundDuration(d time.Duration) string {
	if d >= 10*time.Second {
		return d.Round(time.Second).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
