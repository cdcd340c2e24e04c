package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestHubTheme: the hub's stylesheet takes the brand colour as its 600
// shade, darkened until white text on it reads (contrast 4.5), and refuses
// anything but six hex digits. No server, no database.
func TestHubTheme(t *testing.T) {
	t.Parallel()
	e := echo.New()
	e.GET("/hub-theme.css", handleHubTheme())
	get := func(q string) (int, string) {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hub-theme.css?c="+q, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	shade := regexp.MustCompile(`--color-brand-600:#([0-9a-f]{6})`)

	t.Run("DarkColourKept", func(t *testing.T) {
		code, css := get("1f5ad6")
		if code != 200 || shade.FindStringSubmatch(css)[1] != "1f5ad6" {
			t.Errorf("got %d %q, want the colour as the 600 shade", code, css)
		}
	})
	t.Run("LightColourDarkenedForWhiteText", func(t *testing.T) {
		code, css := get("ffe066") // a light yellow: white text on it is unreadable
		m := shade.FindStringSubmatch(css)
		if code != 200 || m == nil {
			t.Fatalf("got %d %q", code, css)
		}
		r, g, b := parseHex(m[1])
		if c := contrastWithWhite(r, g, b); c < 4.5 {
			t.Errorf("600 shade %s has contrast %.2f with white, want >= 4.5", m[1], c)
		}
	})
	for _, bad := range []string{"", "red", "12345", "1234567", "%3Cscript%3E", "zzzzzz"} {
		if code, _ := get(bad); code != http.StatusBadRequest {
			t.Errorf("c=%q: got %d, want 400", bad, code)
		}
	}
}
