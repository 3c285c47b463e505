package sweep

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"born/internal/setting"
)

// SlurmOptions are the resources of a Slurm job array.
type SlurmOptions struct {
	Binary    string // absolute path of the born binary on the cluster
	SpecPath  string // absolute path of the sweep file
	Out       string // absolute path of the result directory
	Limit     int    // tasks running at once (the %limit of --array); 0: no limit
	CPUs      int    // --cpus-per-task
	Mem       string // --mem, e.g. 4G
	Time      string // --time, e.g. 01:00:00
	Partition string // --partition; "" for the default
	Account   string // --account; "" for none
}

var slurmTime = regexp.MustCompile(`^(\d+-)?\d+(:\d{2}){0,2}$`)
var slurmMem = regexp.MustCompile(`^\d+[KMGT]?$`)

// Validate checks the options.
func (o *SlurmOptions) Validate() error {
	for _, p := range []struct{ name, v string }{{"binary", o.Binary}, {"sweep file", o.SpecPath}, {"result folder (out)", o.Out}} {
		if !filepath.IsAbs(p.v) {
			return fmt.Errorf("slurm: the %s path %q must be absolute (the job runs elsewhere)", p.name, p.v)
		}
	}
	if o.Limit < 0 {
		return setting.Errorf("{limit} %d: must be >= 0 (0: no limit)", o.Limit)
	}
	if o.CPUs < 1 {
		return setting.Errorf("{cpus} %d: need at least 1", o.CPUs)
	}
	if o.Mem != "" && !slurmMem.MatchString(o.Mem) {
		return setting.Errorf("{mem} %q: use Slurm's form, e.g. 4G or 4000M", o.Mem)
	}
	if o.Time != "" && !slurmTime.MatchString(o.Time) {
		return setting.Errorf("{time} %q: use Slurm's form, e.g. 01:00:00 or 1-00:00:00", o.Time)
	}
	if strings.ContainsAny(o.Partition+o.Account, " \t\n'\"") {
		return setting.Errorf("{partition}/{account}: no spaces or quotes")
	}
	return nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// SlurmScript returns an sbatch script that runs the sweep as a job array:
// array task i runs `born sweep run SPEC --out DIR`, which takes its task id
// from SLURM_ARRAY_TASK_ID.
func (s *Spec) SlurmScript(o SlurmOptions) (string, error) {
	if err := o.Validate(); err != nil {
		return "", err
	}
	n := s.NumTasks()
	array := fmt.Sprintf("0-%d", n-1)
	if o.Limit > 0 {
		array += fmt.Sprintf("%%%d", o.Limit)
	}
	var b strings.Builder
	fmt.Fprintln(&b, "#!/bin/sh")
	fmt.Fprintf(&b, "# born sweep: %d tasks of `born %s`, sweep digest %s.\n", n, s.Command, s.Digest()[:12])
	fmt.Fprintln(&b, "# Each array task runs one task; a finished task is skipped when rerun.")
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", s.JobName())
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", o.CPUs)
	fmt.Fprintln(&b, "#SBATCH --ntasks=1")
	if o.Mem != "" {
		fmt.Fprintf(&b, "#SBATCH --mem=%s\n", o.Mem)
	}
	if o.Time != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", o.Time)
	}
	if o.Partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", o.Partition)
	}
	if o.Account != "" {
		fmt.Fprintf(&b, "#SBATCH --account=%s\n", o.Account)
	}
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(o.Out, "logs", "%A_%a.out"))
	fmt.Fprintln(&b, "set -e")
	fmt.Fprintf(&b, "exec %s sweep run %s --out %s --quiet\n", shellQuote(o.Binary), shellQuote(o.SpecPath), shellQuote(o.Out))
	return b.String(), nil
}

// K8sOptions are the settings of a Kubernetes Indexed Job.
type K8sOptions struct {
	Image       string // container image holding the born binary
	Binary      string // path of born in the image (default "born" on PATH)
	Parallelism int    // pods running at once
	CPU         string // resources.requests.cpu, e.g. "2"
	Memory      string // resources.requests.memory, e.g. "4Gi"
	// The sweep file and the result directory are mounted from a
	// ConfigMap and a PersistentVolumeClaim.
	ConfigMap   string // holds the sweep file under the key sweep.yaml
	ResultClaim string // PersistentVolumeClaim for results
	Namespace   string
	BackoffPer  int // retries per index (backoffLimitPerIndex)
}

var k8sName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
var k8sQuantity = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$`)
var k8sInvalid = regexp.MustCompile(`[^a-z0-9-]+`) // runs of characters a Kubernetes name cannot hold

// Validate checks the options.
func (o *K8sOptions) Validate() error {
	if o.Image == "" {
		return setting.Errorf("{image}: the container image with the born binary is required")
	}
	if o.Parallelism < 1 {
		return setting.Errorf("{parallelism} %d: need at least 1", o.Parallelism)
	}
	for _, q := range []struct{ name, v string }{{"cpu", o.CPU}, {"memory", o.Memory}} {
		if q.v != "" && !k8sQuantity.MatchString(q.v) {
			return setting.Errorf("{"+q.name+"} %q: not a Kubernetes quantity (e.g. 2, 500m, 4Gi)", q.v)
		}
	}
	for _, n := range []struct{ name, v string }{{"config_map", o.ConfigMap}, {"result_claim", o.ResultClaim}, {"namespace", o.Namespace}} {
		if n.v != "" && !k8sName.MatchString(n.v) {
			return setting.Errorf("{"+n.name+"} %q: not a valid Kubernetes name (lowercase letters, digits and -)", n.v)
		}
	}
	if o.BackoffPer < 0 {
		return setting.Errorf("{backoff_per} %d: must be >= 0", o.BackoffPer)
	}
	return nil
}

func yamlString(s string) string { return fmt.Sprintf("%q", s) }

// K8sJob returns a batch/v1 Indexed Job manifest (YAML) for `kubectl
// apply -f`: completions = the number of tasks, each pod runs `born sweep
// run` with its index from JOB_COMPLETION_INDEX.
func (s *Spec) K8sJob(o K8sOptions) (string, error) {
	if err := o.Validate(); err != nil {
		return "", err
	}
	name := k8sInvalid.ReplaceAllString(strings.ToLower(s.JobName()), "-")
	if len(name) > 52 {
		name = strings.TrimRight(name[:52], "-")
	}
	bin := o.Binary
	if bin == "" {
		bin = "born"
	}
	cm, claim := o.ConfigMap, o.ResultClaim
	if cm == "" {
		cm = name + "-spec"
	}
	if claim == "" {
		claim = name + "-results"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# born sweep: %d tasks of `born %s`, sweep digest %s.\n", s.NumTasks(), s.Command, s.Digest()[:12])
	fmt.Fprintf(&b, "# Needs a ConfigMap %q with the sweep file under key sweep.yaml\n", cm)
	fmt.Fprintf(&b, "# (kubectl create configmap %s --from-file=sweep.yaml=SPEC.yaml) and a\n", cm)
	fmt.Fprintf(&b, "# ReadWriteMany PersistentVolumeClaim %q for the results.\n", claim)
	fmt.Fprintln(&b, "apiVersion: batch/v1")
	fmt.Fprintln(&b, "kind: Job")
	fmt.Fprintln(&b, "metadata:")
	fmt.Fprintf(&b, "  name: %s\n", name)
	if o.Namespace != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", o.Namespace)
	}
	fmt.Fprintln(&b, "  labels:")
	fmt.Fprintf(&b, "    app.kubernetes.io/name: born-sweep\n")
	fmt.Fprintln(&b, "spec:")
	fmt.Fprintln(&b, "  completionMode: Indexed")
	fmt.Fprintf(&b, "  completions: %d\n", s.NumTasks())
	fmt.Fprintf(&b, "  parallelism: %d\n", o.Parallelism)
	fmt.Fprintf(&b, "  backoffLimitPerIndex: %d\n", o.BackoffPer)
	fmt.Fprintln(&b, "  template:")
	fmt.Fprintln(&b, "    spec:")
	fmt.Fprintln(&b, "      restartPolicy: Never")
	fmt.Fprintln(&b, "      containers:")
	fmt.Fprintln(&b, "        - name: born")
	fmt.Fprintf(&b, "          image: %s\n", yamlString(o.Image))
	fmt.Fprintf(&b, "          command: [%s, \"sweep\", \"run\", \"/sweep/sweep.yaml\", \"--out\", \"/results\", \"--quiet\"]\n", yamlString(bin))
	if o.CPU != "" || o.Memory != "" {
		fmt.Fprintln(&b, "          resources:")
		fmt.Fprintln(&b, "            requests:")
		if o.CPU != "" {
			fmt.Fprintf(&b, "              cpu: %s\n", yamlString(o.CPU))
		}
		if o.Memory != "" {
			fmt.Fprintf(&b, "              memory: %s\n", yamlString(o.Memory))
		}
	}
	fmt.Fprintln(&b, "          volumeMounts:")
	fmt.Fprintln(&b, "            - name: spec")
	fmt.Fprintln(&b, "              mountPath: /sweep")
	fmt.Fprintln(&b, "              readOnly: true")
	fmt.Fprintln(&b, "            - name: results")
	fmt.Fprintln(&b, "              mountPath: /results")
	fmt.Fprintln(&b, "      volumes:")
	fmt.Fprintln(&b, "        - name: spec")
	fmt.Fprintln(&b, "          configMap:")
	fmt.Fprintf(&b, "            name: %s\n", cm)
	fmt.Fprintln(&b, "        - name: results")
	fmt.Fprintln(&b, "          persistentVolumeClaim:")
	fmt.Fprintf(&b, "            claimName: %s\n", claim)
	return b.String(), nil
}
