package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result is one scenario's measurements.
type Result struct {
	Scenario    string
	Concurrency int
	Requests    int
	Errors      int
	Elapsed     time.Duration
	P50         time.Duration
	P90         time.Duration
	P99         time.Duration
	PeakRSSKiB  int64
	Baseline    float64 // req/s of the baseline at the same concurrency
	Note        string
}

// RPS is requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Load is one scenario: make builds each request (it may pick a random
// account); ok says whether a response counts as a success.
type Load struct {
	Name        string
	Concurrency int
	Duration    time.Duration
	MaxRequests int
	Make        func(worker, i int) *http.Request
	// OK, when set, judges a response by its status and body; otherwise
	// only 200 counts.
	OK func(resp *http.Response, body []byte) bool
}

// run drives the load from Concurrency workers until Duration or MaxRequests,
// whichever comes first, sampling the server's RSS all along. The deadline
// stops new requests; those in flight finish and count, so that every
// request the server completed is in the figures.
func run(ctx context.Context, l Load, pid int) Result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: l.Concurrency * 2, MaxConnsPerHost: l.Concurrency * 2},
		Timeout: 60 * time.Second}
	deadline, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	sampling, stopSampling := context.WithCancel(ctx)
	peak := sampleRSS(sampling, pid)

	var mu sync.Mutex
	var latencies []time.Duration
	var errs, issued int
	var firstFailure sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.Concurrency {
		wg.Go(func() {
			local := make([]time.Duration, 0, 4096)
			bad := 0
			for i := 0; ; i++ {
				mu.Lock()
				if issued >= l.MaxRequests {
					mu.Unlock()
					break
				}
				issued++
				mu.Unlock()
				if deadline.Err() != nil {
					break
				}
				req := l.Make(w, i).WithContext(ctx)
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						break // interrupted, not the server
					}
					firstFailure.Do(func() { fmt.Printf("  first failure: %s %s: %v\n", req.Method, req.URL.Path, err) })
					bad++
					local = append(local, d)
					continue
				}
				ok := resp.StatusCode == http.StatusOK
				var body []byte
				if l.OK != nil {
					body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
					ok = l.OK(resp, body)
				}
				if !ok {
					firstFailure.Do(func() {
						fmt.Printf("  first failure: %s %s: %d %s\n", req.Method, req.URL.Path, resp.StatusCode, excerpt(body))
					})
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if !ok {
					bad++
				}
				local = append(local, d)
			}
			mu.Lock()
			latencies = append(latencies, local...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopSampling()
	slices.Sort(latencies)
	return Result{Scenario: l.Name, Concurrency: l.Concurrency, Requests: len(latencies), Errors: errs,
		Elapsed: elapsed, P50: pct(latencies, 50), P90: pct(latencies, 90), P99: pct(latencies, 99), PeakRSSKiB: <-peak}
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

// sampleRSS reports the highest resident set size of pid seen every 20 ms
// until ctx ends.
func sampleRSS(ctx context.Context, pid int) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, rssKiB(pid))
			select {
			case <-ctx.Done():
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// rssKiB reads VmRSS of a process from /proc (Linux).
func rssKiB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// excerpt is the part of a page that says what failed, for the console.
func excerpt(body []byte) string {
	s := string(body)
	for _, marker := range []string{`data-testid="failed`, `field-error`, `role="alert"`} {
		if i := strings.Index(s, marker); i >= 0 {
			s = s[i:]
			break
		}
	}
	return fmt.Sprintf("%.400q", s)
}
