// Package sweep runs grids of born commands (training runs or comparisons)
// as independent tasks, so that a sweep can run on a laptop one task after
// another or on a cluster as a Slurm job array or a Kubernetes Indexed Job,
// with nothing to install but the born binary.
//
// A sweep file (YAML) names a command, fixed arguments and a grid of swept
// values; the tasks are the grid's cartesian product, numbered in a stable
// order. Each task's seed derives from (sweep seed, task id), so any task can
// be rerun alone and gives the same result. A task writes its result
// atomically under DIR/tasks/ID/; a finished task is not run again unless
// forced.
package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Spec is a sweep file.
//
//	name: depth-scan          # optional; names jobs and files
//	command: train            # train or compare
//	seed: 7                   # sweep seed (default 1)
//	repeats: 3                # runs per grid point, with different seeds (default 1)
//	args:                     # flags every task gets
//	  data: bas:3x3
//	  steps: 300
//	grid:                     # swept flags: the tasks are every combination
//	  ansatz: [qcbm:2, qcbm:4, qcbm:6]
//	  lr: [0.05, 0.1]
//
// Tasks are numbered with the last grid key varying fastest, then the
// repeat. A task gets --seed derived from (seed, task id) unless args or
// grid set seed themselves.
type Spec struct {
	Name    string         `yaml:"name" json:"name"`
	Command string         `yaml:"command" json:"command"`
	Seed    uint64         `yaml:"seed" json:"seed"`
	Repeats int            `yaml:"repeats" json:"repeats"`
	Args    map[string]any `yaml:"args" json:"args"`
	Grid    yaml.Node      `yaml:"grid" json:"-"`

	// Keys are the grid's keys in file order, Values their values.
	Keys   []string   `yaml:"-" json:"keys"`
	Values [][]string `yaml:"-" json:"values"`
	// Fixed are the fixed flags in sorted order, as strings.
	Fixed [][2]string `yaml:"-" json:"fixed"`
}

// Commands are the born commands a sweep can run.
var Commands = []string{"train", "compare"}

// MaxTasks bounds the size of a sweep.
const MaxTasks = 100000

// Parse reads a sweep file. Unknown keys, a command other than train or
// compare, an empty grid and a flag both fixed and swept are errors.
func Parse(data []byte) (*Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("sweep file: %v", err)
	}
	if s.Command == "" {
		return nil, fmt.Errorf("sweep file: no command: set command: train or command: compare")
	}
	if !slices.Contains(Commands, s.Command) {
		return nil, fmt.Errorf("sweep file: command %q: use train or compare", s.Command)
	}
	if s.Seed == 0 {
		s.Seed = 1
	}
	if s.Repeats == 0 {
		s.Repeats = 1
	}
	if s.Repeats < 0 {
		return nil, fmt.Errorf("sweep file: repeats %d: must be at least 1", s.Repeats)
	}
	if s.Name != "" && !validName(s.Name) {
		return nil, fmt.Errorf("sweep file: name %q: use letters, digits, - and _", s.Name)
	}
	if s.Grid.Kind != yaml.MappingNode || len(s.Grid.Content) == 0 {
		return nil, fmt.Errorf("sweep file: grid: a mapping from flag names to lists of values is required (grid: {ansatz: [qcbm:2, qcbm:4]})")
	}
	for i := 0; i < len(s.Grid.Content); i += 2 {
		k, v := s.Grid.Content[i], s.Grid.Content[i+1]
		key := k.Value
		if err := checkFlagName(key); err != nil {
			return nil, fmt.Errorf("sweep file: line %d: grid key %v", k.Line, err)
		}
		if slices.Contains(s.Keys, key) {
			return nil, fmt.Errorf("sweep file: line %d: grid key %q given twice", k.Line, key)
		}
		if _, ok := s.Args[key]; ok {
			return nil, fmt.Errorf("sweep file: line %d: %q is both in args and in grid", k.Line, key)
		}
		var vals []string
		switch v.Kind {
		case yaml.SequenceNode:
			if len(v.Content) == 0 {
				return nil, fmt.Errorf("sweep file: line %d: grid key %q has no values", v.Line, key)
			}
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("sweep file: line %d: grid values of %q must be scalars", e.Line, key)
				}
				vals = append(vals, e.Value)
			}
		case yaml.ScalarNode:
			vals = []string{v.Value}
		default:
			return nil, fmt.Errorf("sweep file: line %d: grid key %q needs a list of values", v.Line, key)
		}
		s.Keys = append(s.Keys, key)
		s.Values = append(s.Values, vals)
	}
	keys := make([]string, 0, len(s.Args))
	for k := range s.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := checkFlagName(k); err != nil {
			return nil, fmt.Errorf("sweep file: args key %v", err)
		}
		if k == "out" {
			return nil, fmt.Errorf("sweep file: args: out is set by the sweep for each task")
		}
		v, err := scalar(s.Args[k])
		if err != nil {
			return nil, fmt.Errorf("sweep file: args %q: %v", k, err)
		}
		s.Fixed = append(s.Fixed, [2]string{k, v})
	}
	if slices.Contains(s.Keys, "out") {
		return nil, fmt.Errorf("sweep file: grid: out is set by the sweep for each task")
	}
	if n := s.NumTasks(); n > MaxTasks || n < 1 {
		return nil, fmt.Errorf("sweep file: %d tasks; at most %d", n, MaxTasks)
	}
	return &s, nil
}

func checkFlagName(k string) error {
	if k == "" || strings.HasPrefix(k, "-") || strings.ContainsAny(k, " =\t") {
		return fmt.Errorf("%q: write flag names without dashes, as in ansatz or steps", k)
	}
	return nil
}

// scalar prints a YAML scalar (string, number, bool) as a flag value; a
// list becomes a comma-separated value (sigmas: [0.5, 1]).
func scalar(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, err := scalar(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case nil:
		return "", fmt.Errorf("no value")
	}
	return "", fmt.Errorf("value %v (%T) is not a string, number or list", v, v)
}

// NumTasks returns the number of tasks.
func (s *Spec) NumTasks() int {
	n := s.Repeats
	for _, v := range s.Values {
		n *= len(v)
		if n > MaxTasks {
			return MaxTasks + 1
		}
	}
	return n
}

// Task is one run of a sweep.
type Task struct {
	ID     int               `json:"id"`
	Values map[string]string `json:"values"` // the swept flags' values
	Repeat int               `json:"repeat"`
	Seed   uint64            `json:"seed"`
	// Args are the command's arguments, without --out.
	Args []string `json:"args"`
}

// TaskSeed derives the seed of task id from the sweep seed (a splitmix64
// mix, so that neighbouring tasks get unrelated seeds).
func TaskSeed(seed uint64, id int) uint64 {
	z := seed*0x9e3779b97f4a7c15 + uint64(id) + 0x632be59bd9b4e019
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return z & (1<<53 - 1) // exact in JSON and YAML numbers
}

// Task returns task id.
func (s *Spec) Task(id int) (Task, error) {
	n := s.NumTasks()
	if id < 0 || id >= n {
		return Task{}, fmt.Errorf("task %d: the sweep has tasks 0 to %d", id, n-1)
	}
	t := Task{ID: id, Values: map[string]string{}}
	rest := id
	t.Repeat = rest % s.Repeats
	rest /= s.Repeats
	idx := make([]int, len(s.Keys))
	for k := len(s.Keys) - 1; k >= 0; k-- {
		idx[k] = rest % len(s.Values[k])
		rest /= len(s.Values[k])
	}
	// seed is fixed or swept at most once (Parse refuses a flag in both).
	seeded := false
	flag := func(key, v string) {
		t.Args = append(t.Args, "--"+key+"="+v)
		if key == "seed" {
			seeded = true
			t.Seed, _ = strconv.ParseUint(v, 10, 64)
		}
	}
	for _, f := range s.Fixed {
		flag(f[0], f[1])
	}
	for k, key := range s.Keys {
		v := s.Values[k][idx[k]]
		t.Values[key] = v
		flag(key, v)
	}
	if !seeded {
		t.Seed = TaskSeed(s.Seed, id)
		t.Args = append(t.Args, "--seed="+strconv.FormatUint(t.Seed, 10))
	}
	return t, nil
}

// Tasks returns every task in order.
func (s *Spec) Tasks() []Task {
	ts := make([]Task, s.NumTasks())
	for i := range ts {
		ts[i], _ = s.Task(i)
	}
	return ts
}

// Digest identifies the sweep: two specs with the same digest define the
// same tasks.
func (s *Spec) Digest() string {
	b, _ := json.Marshal(struct {
		Command string
		Seed    uint64
		Repeats int
		Keys    []string
		Values  [][]string
		Fixed   [][2]string
	}{s.Command, s.Seed, s.Repeats, s.Keys, s.Values, s.Fixed})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// JobName returns a name for cluster jobs.
func (s *Spec) JobName() string {
	if s.Name != "" {
		return "born-" + s.Name
	}
	return "born-sweep-" + s.Digest()[:8]
}

// validName reports whether a sweep name holds letters, digits, - and _
// only (it names folders and jobs: no separators, spaces, control or
// line-separator characters).
func validName(name string) bool {
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}
