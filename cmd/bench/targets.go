package main

import (
	"fmt"
	"strings"
	"time"
)

// goal is one of the targets a scenario is held to (issue #9), checked on
// every run so the report says plainly which are met on this machine.
type goal struct {
	scenario string // the scenario's name, exactly
	want     string
	met      func(Result) bool
}

// mb is a megabyte (10^6 bytes) in KiB, as RSS is sampled.
const mb = 1e6 / 1024

var goals = []goal{
	{"POST /api/v1/accounts/{id}/token, token cached, random of 10,000 accounts", ">= 8,000 req/s, p99 <= 15 ms, >= 0.4 x baseline, RSS <= 100 MB",
		func(r Result) bool {
			return r.RPS() >= 8000 && r.P99 <= 15*time.Millisecond && r.RPS() >= 0.4*r.Baseline && float64(r.PeakRSSKiB) <= 100*mb
		}},
	{"hub picker, live hub session (session lookup + settings + profiles + render)", ">= 4,000 req/s, p99 <= 20 ms",
		func(r Result) bool { return r.RPS() >= 4000 && r.P99 <= 20*time.Millisecond }},
	{"hub link submission (test at a 0-latency vendor: token + 2 calls, seal, insert)", ">= 400 linked accounts/s, p99 <= 100 ms",
		func(r Result) bool { return r.Errors == 0 && r.RPS() >= 400 && r.P99 <= 100*time.Millisecond }},
	{"1,000 link submissions at once, vendor answers each call in 1 s", "all succeed, none lost, peak RSS <= 150 MB",
		func(r Result) bool { return r.Errors == 0 && float64(r.PeakRSSKiB) <= 150*mb }},
	{"GET /api/v1/accounts?origin_owner_id=... (100,000 accounts stored, 10 per owner)", "p99 <= 20 ms",
		func(r Result) bool { return r.Errors == 0 && r.P99 <= 20*time.Millisecond }},
}

// writeGoals adds the targets table: each goal, what this run measured and
// whether it was met.
func writeGoals(b *strings.Builder, results []Result, start time.Duration, idleKiB int64) {
	b.WriteString("\n## Targets\n\n| scenario | target | this run | met |\n|---|---|---|---|\n")
	row := func(name, want, got string, ok bool) {
		verdict := "yes"
		if !ok {
			verdict = "**no**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", name, want, got, verdict)
	}
	for _, g := range goals {
		for _, r := range results {
			if r.Scenario == g.scenario {
				got := fmt.Sprintf("%.0f req/s, p99 %s", r.RPS(), ms(r.P99))
				if r.Baseline > 0 {
					got += fmt.Sprintf(", %.2f x baseline", r.RPS()/r.Baseline)
				}
				got += fmt.Sprintf(", %d errors, peak RSS %s", r.Errors, mib(r.PeakRSSKiB))
				row(g.scenario, g.want, got, g.met(r))
			}
		}
	}
	row("idle RSS after start", "<= 30 MB", mib(idleKiB), float64(idleKiB) <= 30*mb)
	if start > 0 {
		row("start to `/readyz`, database running (median)", "<= 300 ms", ms(start), start <= 300*time.Millisecond)
	}
}
