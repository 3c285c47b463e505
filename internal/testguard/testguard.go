// Package testguard measures what a call costs in tests, robustly on a
// shared machine: CPU time of the process (not wall time, which other
// programs' load stretches) and bytes allocated on the heap (runtime
// statistics). A watchdog stops the test binary with a message if the call
// runs away, so that a regression to exponential time or memory fails the
// test instead of exhausting the machine.
package testguard

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"
)

// Cost is what a call cost.
type Cost struct {
	CPU   time.Duration // user + system CPU time of the whole process
	Alloc uint64        // bytes allocated on the heap
	Wall  time.Duration
}

func (c Cost) String() string {
	return fmt.Sprintf("%v CPU, %v wall, %.1f MB allocated", c.CPU.Round(time.Millisecond), c.Wall.Round(time.Millisecond), float64(c.Alloc)/(1<<20))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Measure runs f and returns its cost. While f runs, a watchdog ends the
// process (exit status 3, with a message naming what) if the live heap
// passes 4 GiB or f runs past 5 minutes of wall time.
func Measure(what string, f func()) Cost {
	done := make(chan struct{})
	go watchdog(what, done)
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	c0, w0 := cpuTime(), time.Now()
	f()
	c1, w1 := cpuTime(), time.Now()
	runtime.ReadMemStats(&b)
	close(done)
	return Cost{CPU: c1 - c0, Alloc: b.TotalAlloc - a.TotalAlloc, Wall: w1.Sub(w0)}
}

func watchdog(what string, done chan struct{}) {
	const heapLimit, wallLimit = 4 << 30, 5 * time.Minute
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			metrics.Read(sample)
			if h := sample[0].Value.Uint64(); h > heapLimit {
				fmt.Fprintf(os.Stderr, "testguard: %s: the heap grew past %d GiB; stopping\n", what, heapLimit>>30)
				os.Exit(3)
			}
			if time.Since(start) > wallLimit {
				fmt.Fprintf(os.Stderr, "testguard: %s: still running after %v; stopping\n", what, wallLimit)
				os.Exit(3)
			}
		}
	}
}

// Within runs f and fails t unless it took at most cpu of CPU time and
// allocated at most alloc bytes.
func Within(t testing.TB, what string, cpu time.Duration, alloc uint64, f func()) Cost {
	t.Helper()
	c := Measure(what, f)
	if c.CPU > cpu || c.Alloc > alloc {
		t.Errorf("%s: %v; want at most %v CPU and %.0f MB", what, c, cpu, float64(alloc)/(1<<20))
	}
	return c
}
