package sweep

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"born/bornmachine/figures"
)

// Table is the collected outcome of a sweep: one row per trained model of
// every finished task, and the tasks still missing.
type Table struct {
	Command string     `json:"command"`
	Keys    []string   `json:"keys"`
	Rows    []TableRow `json:"rows"`
	Missing []int      `json:"missing"`
	Tasks   int        `json:"tasks"`
}

// TableRow is one model of one task. Row.Seconds is the model's training
// time; TaskSeconds the whole task's wall time.
type TableRow struct {
	Task        int               `json:"task"`
	Values      map[string]string `json:"values"`
	Repeat      int               `json:"repeat"`
	Seed        uint64            `json:"seed"`
	TaskSeconds float64           `json:"task_seconds"`
	Row
}

// tableRowHead is the task's part of a TableRow in JSON.
type tableRowHead struct {
	Task        int               `json:"task"`
	Values      map[string]string `json:"values"`
	Repeat      int               `json:"repeat"`
	Seed        uint64            `json:"seed"`
	TaskSeconds float64           `json:"task_seconds"`
}

// MarshalJSON writes the task's fields, then the Row's (whose own
// MarshalJSON, promoted, would drop the task's).
func (t TableRow) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(tableRowHead{t.Task, t.Values, t.Repeat, t.Seed, t.TaskSeconds})
	if err != nil {
		return nil, err
	}
	row, err := t.Row.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(append(head[:len(head)-1], ','), row[1:]...), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *TableRow) UnmarshalJSON(b []byte) error {
	var h tableRowHead
	if err := json.Unmarshal(b, &h); err != nil {
		return err
	}
	if err := t.Row.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Task, t.Values, t.Repeat, t.Seed, t.TaskSeconds = h.Task, h.Values, h.Repeat, h.Seed, h.TaskSeconds
	return nil
}

// Collect gathers the results of every finished task.
func (d *Dir) Collect() (*Table, error) {
	t := &Table{Command: d.Spec.Command, Keys: d.Spec.Keys, Tasks: d.Spec.NumTasks()}
	for id := 0; id < t.Tasks; id++ {
		if !d.Done(id) {
			t.Missing = append(t.Missing, id)
			continue
		}
		r, err := d.ReadResult(id)
		if err != nil {
			return nil, err
		}
		rows := r.Rows
		if len(rows) > 0 && rows[0].Seconds == 0 && rows[0].Seeds == 0 {
			// A result.json written before rows held their own times and
			// spreads: read them again from the command's output.
			if again, err := readRows(r.Command, filepath.Join(d.TaskPath(id), RunDir)); err == nil && len(again) == len(rows) {
				rows = again
			}
		}
		for _, row := range rows {
			t.Rows = append(t.Rows, TableRow{Task: id, Values: r.Task.Values, Repeat: r.Task.Repeat, Seed: r.Task.Seed,
				TaskSeconds: r.Seconds, Row: row})
		}
	}
	return t, nil
}

// spread reports whether the table holds means over several seeds.
func (t *Table) spread() bool {
	for _, r := range t.Rows {
		if r.Seeds > 1 {
			return true
		}
	}
	return false
}

// header names the columns: CSV gives every standard deviation a column
// of its own (after its mean), text prints "mean ± std" in one.
func (t *Table) header(csv bool) []string {
	h := []string{"task"}
	h = append(h, t.Keys...)
	h = append(h, "repeat", "seed", "model", "params", "steps")
	if t.spread() {
		h = append(h, "seeds")
	}
	for _, m := range []string{"kl", "nll", "test_nll", "valid_mass", "mmd", "seconds"} {
		h = append(h, m)
		if csv && t.spread() {
			h = append(h, m+"_std")
		}
	}
	return append(h, "task_seconds")
}

func (t *Table) cells(r TableRow, csv bool) []string {
	c := []string{strconv.Itoa(r.Task)}
	for _, k := range t.Keys {
		c = append(c, r.Values[k])
	}
	c = append(c, strconv.Itoa(r.Repeat), strconv.FormatUint(r.Seed, 10), r.Model, strconv.Itoa(r.Params), strconv.Itoa(r.Steps))
	spread := t.spread()
	if spread {
		c = append(c, strconv.Itoa(max(r.Seeds, 1)))
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	testNLL := math.NaN()
	if r.TestNLL != nil {
		testNLL = *r.TestNLL
	}
	for _, m := range [][2]float64{{r.KL, r.KLStd}, {r.NLL, r.NLLStd}, {testNLL, r.TestNLLStd}, {r.ValidMass, r.ValidMassStd}, {r.MMD, r.MMDStd}, {r.Seconds, r.SecondsStd}} {
		switch {
		case csv && spread:
			c = append(c, g(m[0]), g(m[1]))
		case csv:
			c = append(c, g(m[0]))
		case math.IsNaN(m[0]):
			c = append(c, notMeasured)
		case spread && r.Seeds > 1:
			c = append(c, meanStd(m[0], m[1]))
		default:
			c = append(c, fmt.Sprintf("%.4g", m[0]))
		}
	}
	if csv {
		return append(c, g(r.TaskSeconds))
	}
	return append(c, fmt.Sprintf("%.2f", r.TaskSeconds))
}

// notMeasured is the text table's cell for a metric a run did not
// measure: a test NLL without a test set, KL or valid mass above 24 bits.
// CSV writes NaN there, which spreadsheets and pandas read as missing.
const notMeasured = "n/a"

// meanStd prints a mean and its standard deviation with the same
// precision: two significant digits of the deviation (0.298 ± 0.315,
// 2.6454 ± 0.0025).
func meanStd(mean, std float64) string {
	if std == 0 || math.IsNaN(std) || math.IsInf(std, 0) {
		return fmt.Sprintf("%.4g ± 0", mean)
	}
	digits := max(0, 1-int(math.Floor(math.Log10(std))))
	return fmt.Sprintf("%.*f ± %.*f", digits, mean, digits, std)
}

// WriteText writes the table aligned for people, and names missing tasks.
// Means over seeds print as mean ± standard deviation.
func (t *Table) WriteText(w io.Writer) error {
	rows := [][]string{t.header(false)}
	for _, r := range t.Rows {
		rows = append(rows, t.cells(r, false))
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c + strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	done := t.Tasks - len(t.Missing)
	if len(t.Missing) > 0 {
		_, err := fmt.Fprintf(w, "%d of %d tasks finished; missing: %s\n", done, t.Tasks, Ranges(t.Missing))
		return err
	}
	_, err := fmt.Fprintf(w, "all %d tasks finished\n", t.Tasks)
	return err
}

// WriteCSV writes the table as CSV, numbers at full (round-trip)
// precision and, for means over seeds, a _std column after each.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.header(true)); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := cw.Write(t.cells(r, true)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

var palette = []color.RGBA{
	{R: 31, G: 119, B: 180, A: 255}, {R: 255, G: 127, B: 14, A: 255}, {R: 44, G: 160, B: 44, A: 255},
	{R: 214, G: 39, B: 40, A: 255}, {R: 148, G: 103, B: 189, A: 255}, {R: 140, G: 86, B: 75, A: 255},
}

// Plot writes a PNG of the final KL against the first swept key: one
// series per combination of the other keys (and, for compare sweeps, per
// model), each a line through the mean over the runs at a grid point
// (repeats, or the seeds of a comparison) with every run drawn as a point.
// The legend names the series and says what lines and points are.
func (t *Table) Plot(w io.Writer) error {
	p, _, err := t.plot()
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(18*vg.Centimeter, 12*vg.Centimeter, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// plot builds the plot of Plot and returns it with its legend's texts.
func (t *Table) plot() (*plot.Plot, []string, error) {
	p := plot.New()
	var legend []string
	addLegend := func(text string, thumbs ...plot.Thumbnailer) {
		p.Legend.Add(text, thumbs...)
		legend = append(legend, text)
	}
	key := t.Keys[0]
	p.X.Label.Text = key
	p.Y.Label.Text = "final KL(data || model) (nats)"
	p.Add(plotter.NewGrid())
	xs := map[string]int{}
	var labels []string
	for _, r := range t.Rows {
		v := r.Values[key]
		if _, ok := xs[v]; !ok {
			xs[v] = len(labels)
			labels = append(labels, v)
		}
	}
	type series struct {
		name   string
		sum    map[int]float64
		n      map[int]int
		points plotter.XYs
	}
	var order []string
	all := map[string]*series{}
	runsAt := map[string]int{} // runs per (series, grid point)
	for _, r := range t.Rows {
		var parts []string
		for _, k := range t.Keys[1:] {
			parts = append(parts, k+"="+r.Values[k])
		}
		if t.Command == "compare" {
			parts = append(parts, r.Model)
		}
		name := strings.Join(parts, " ")
		s := all[name]
		if s == nil {
			s = &series{name: name, sum: map[int]float64{}, n: map[int]int{}}
			all[name] = s
			order = append(order, name)
		}
		x := xs[r.Values[key]]
		if r.KL > 0 && !math.IsInf(r.KL, 0) {
			s.sum[x] += r.KL
			s.n[x]++
			s.points = append(s.points, plotter.XY{X: float64(x), Y: r.KL})
			runsAt[fmt.Sprint(name, "\x00", x)]++
		}
	}
	maxRuns := 0
	for _, n := range runsAt {
		maxRuns = max(maxRuns, n)
	}
	positive := false
	lo, hi := math.Inf(1), math.Inf(-1)
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	var lines []*plotter.Line
	for i, name := range order {
		s := all[name]
		var line plotter.XYs
		for x := range labels {
			if s.n[x] > 0 {
				line = append(line, plotter.XY{X: float64(x), Y: s.sum[x] / float64(s.n[x])})
			}
		}
		if len(line) == 0 {
			continue
		}
		positive = true
		for _, pt := range s.points {
			lo, hi = math.Min(lo, pt.Y), math.Max(hi, pt.Y)
		}
		c := palette[i%len(palette)]
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Width = c, vg.Points(1.5)
		sc, err := plotter.NewScatter(s.points)
		if err != nil {
			return nil, nil, err
		}
		sc.Color, sc.Shape, sc.Radius = c, draw.CircleGlyph{}, vg.Points(3)
		p.Add(l, sc)
		lines = append(lines, l)
		if name != "" {
			addLegend(name, l, sc)
		}
	}
	// What lines and points are, in grey (or in the one series' colour).
	grey := color.RGBA{R: 90, G: 90, B: 90, A: 255}
	if len(lines) == 1 && order[0] == "" {
		grey = palette[0]
	}
	meanLine, _ := plotter.NewLine(plotter.XYs{{}})
	meanLine.Color, meanLine.Width = grey, vg.Points(1.5)
	dot, _ := plotter.NewScatter(plotter.XYs{{}})
	dot.Color, dot.Shape, dot.Radius = grey, draw.CircleGlyph{}, vg.Points(3)
	point := "point: one run"
	if t.Command == "compare" {
		point = "point: one comparison (its mean over seeds)"
	}
	if maxRuns > 1 {
		addLegend("line: mean over the repeats", meanLine)
		addLegend(point, dot)
		p.Title.Text = fmt.Sprintf("final KL over the sweep (%d repeats per point)", maxRuns)
	} else {
		addLegend(point+"; lines join them", meanLine, dot)
		p.Title.Text = "final KL over the sweep (one repeat per point)"
	}
	if positive {
		// A log axis needs a positive range, also for a single point; the
		// top leaves room for the legend.
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = figures.LogTicks{}
		// The legend takes about 15 of the panel's 300 points per entry.
		f := math.Min(0.6, float64(len(legend))*15/300)
		p.Y.Min = lo / 1.5
		p.Y.Max = p.Y.Min * math.Pow(hi*1.5/p.Y.Min, 1/(1-f))
	}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	return p, legend, nil
}
