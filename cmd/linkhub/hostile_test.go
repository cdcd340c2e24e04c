package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/pgtest"
)

// TestRun_HostileClients runs the configured http.Server on a real listener
// and checks that abusive clients get a 4xx or are cut off by its timeouts,
// never a 500, and leave no goroutine behind.
func TestRun_HostileClients(t *testing.T) {
	base, stop, out := startRun(t, map[string]string{"LINKHUB_DATABASE_URL": pgtest.URL(t)})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("run returned %v", err)
		}
	}()
	addr := strings.TrimPrefix(base, "http://")
	status := func(method, path, contentType, body string, header map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	status(http.MethodGet, "/", "", "", nil) // warm up the pools before the baseline
	http.DefaultClient.CloseIdleConnections()
	baseline := runtime.NumGoroutine()

	t.Run("BadRequests", func(t *testing.T) {
		form, json := "application/x-www-form-urlencoded", "application/json"
		big := strings.Repeat("a", 2<<20)
		for _, tt := range []struct {
			name, method, path, ct, body string
			header                       map[string]string
			want                         int
		}{
			{"HugeHeader", "GET", "/", "", "", map[string]string{"X-Big": strings.Repeat("h", 100<<10)}, 431},
			{"ManyHeaders", "GET", "/", "", "", manyHeaders(2000), 431},
			{"HugeURL", "GET", "/admin/login?q=" + strings.Repeat("u", 100<<10), "", "", nil, 431},
			{"OversizedForm", "POST", "/admin/login", form, "email=" + big, nil, 413},
			{"OversizedJSON", "POST", "/api/v1/connect_sessions", json, `{"label":"` + big + `"}`, map[string]string{"Authorization": "Bearer lh_x"}, 413},
			{"BadPercentEncoding", "POST", "/admin/login", form, "email=%zz&password=%", nil, 400},
			{"JSONToFormRoute", "POST", "/admin/login", json, `{"email":"a"}`, nil, 401}, // no email/password read: a failed sign-in
			{"BinaryToFormRoute", "POST", "/admin/login", "application/octet-stream", "\x00\xff\xfe", nil, 415},
			{"BrokenMultipart", "POST", "/admin/login", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na", nil, 400},
			{"FormToJSONRoute", "POST", "/api/v1/connect_sessions", form, "a=b", map[string]string{"Authorization": "Bearer lh_x"}, 401},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got := status(tt.method, tt.path, tt.ct, tt.body, tt.header)
				if got != tt.want {
					t.Errorf("got %d, want %d", got, tt.want)
				}
			})
		}
	})

	t.Run("Slowloris", func(t *testing.T) {
		const clients = 30
		var wg sync.WaitGroup
		cut := make(chan time.Duration, clients)
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				start := time.Now()
				_, _ = fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\n", addr)
				// One header line every 200 ms, never the blank line that ends them.
				for i := 0; time.Since(start) < 20*time.Second; i++ {
					if _, err := fmt.Fprintf(conn, "X-Drip-%d: %d\r\n", i, i); err != nil {
						break
					}
					_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
					if _, err := bufio.NewReader(conn).ReadByte(); err != nil && !isTimeout(err) {
						break // the server answered or closed
					}
				}
				cut <- time.Since(start)
			}()
		}
		wg.Wait()
		close(cut)
		for d := range cut {
			if d >= 20*time.Second {
				t.Fatalf("a client dribbling headers was still connected after %v: ReadHeaderTimeout is not cutting it off", d)
			}
		}
	})

	// Every hostile connection is gone: no goroutine of the server is left
	// waiting on one.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseline+3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline+3 {
		buf := make([]byte, 1<<20)
		t.Errorf("got %d goroutines after the hostile clients left, want about %d:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
	if strings.Contains(out.String(), `"status":500`) {
		t.Errorf("a 500 in the log:\n%s", out)
	}
}

func manyHeaders(n int) map[string]string {
	h := map[string]string{}
	for i := range n {
		h[fmt.Sprintf("X-H-%d", i)] = strings.Repeat("v", 32)
	}
	return h
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
