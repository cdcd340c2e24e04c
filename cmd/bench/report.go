package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// writeReport writes the results as Markdown, with the machine they ran on.
func writeReport(path string, results []Result, starts []time.Duration, idleKiB, afterKiB int64) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Linkhub benchmarks\n\nMeasured by `make bench` (cmd/bench) on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Machine: %d cores, %s, %s. Load generator, Linkhub, PostgreSQL and the baseline share the machine, "+
		"so compare the ratio to the baseline over time rather than raw numbers.\n\n", runtime.NumCPU(), cpuModel(), runtime.Version())
	b.WriteString("| scenario | concurrency | requests | req/s | x baseline | p50 | p90 | p99 | errors | peak RSS | note |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		ratio := "-"
		if r.Baseline > 0 {
			ratio = fmt.Sprintf("%.2f", r.RPS()/r.Baseline)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %s | %s | %s | %s | %d | %s | %s |\n", r.Scenario, r.Concurrency, r.Requests,
			r.RPS(), ratio, ms(r.P50), ms(r.P90), ms(r.P99), r.Errors, mib(r.PeakRSSKiB), r.Note)
	}
	b.WriteString("\n| process measure | value |\n|---|---:|\n")
	if len(starts) > 0 {
		fmt.Fprintf(&b, "| start to `/readyz`, database already running (median of %d, min, max) | %s (%s, %s) |\n",
			len(starts), ms(starts[len(starts)/2]), ms(starts[0]), ms(starts[len(starts)-1]))
	}
	fmt.Fprintf(&b, "| RSS idle, 1 s after start | %s |\n| RSS after the scenarios | %s |\n", mib(idleKiB), mib(afterKiB))
	var start time.Duration
	if len(starts) > 0 {
		start = starts[len(starts)/2]
	}
	writeGoals(&b, results, start, idleKiB)
	fmt.Print(b.String())
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
