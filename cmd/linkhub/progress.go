package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows how far a long operation got: a bar redrawn in place on a
// terminal, otherwise a plain line at most every few seconds (for logs).
type progress struct {
	w        io.Writer
	terminal bool
	last     time.Time
	drawn    bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, last: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

// update reports done items and an estimate of those left.
func (p *progress) update(done, left int) {
	total := done + left
	if p.terminal {
		const width = 30
		filled := width
		if total > 0 {
			filled = width * done / total
		}
		fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
			percent(done, total), done, total)
		p.drawn = true
		return
	}
	if time.Since(p.last) >= 2*time.Second {
		p.last = time.Now()
		fmt.Fprintf(p.w, "re-wrapped %d secret(s), about %d left (%d%%)\n", done, left, percent(done, total))
	}
}

// finish ends the bar's line.
func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func percent(done, total int) int {
	if total == 0 {
		return 100
	}
	return 100 * done / total
}
