//go:build !race

package qasm

// raceEnabled: the race detector is on, and costs are not what a user gets.
const raceEnabled = false
