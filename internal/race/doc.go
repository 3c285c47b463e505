// Package race says whether the program was built with the race detector
// (go build -race, go test -race), which makes code several times slower and
// allocate more: benchmarks report it, and tests that bound a cost skip.
package race
