package web

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"
)

var hexColorRE = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// handleHubTheme handles GET /hub-theme.css?c=RRGGBB: the brand colour as
// CSS variables overriding the built stylesheet's brand shades. A stylesheet,
// not an inline style, because the CSP allows styles from 'self' only.
func handleHubTheme() echo.HandlerFunc {
	return func(c echo.Context) error {
		hex := c.QueryParam("c")
		if !hexColorRE.MatchString(hex) {
			return echo.NewHTTPError(http.StatusBadRequest, "The colour must be six hex digits, like 1f5ad6.")
		}
		r, g, b := parseHex(hex)
		// Buttons put white text on the 600 shade: darken until it reads
		// (WCAG AA, 4.5:1), whatever colour the admin picked.
		r6, g6, b6 := r, g, b
		for i := 0; i < 20 && contrastWithWhite(r6, g6, b6) < 4.5; i++ {
			r6, g6, b6 = scale(r6, 0.9), scale(g6, 0.9), scale(b6, 0.9)
		}
		css := fmt.Sprintf(":root{--color-brand-500:%s;--color-brand-600:%s;--color-brand-700:%s}\n",
			toHex(r, g, b), toHex(r6, g6, b6), toHex(scale(r6, 0.8), scale(g6, 0.8), scale(b6, 0.8)))
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", []byte(css))
	}
}

func parseHex(hex string) (r, g, b float64) {
	v, _ := strconv.ParseUint(hex, 16, 32)
	return float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)
}

func scale(v, f float64) float64 { return math.Round(v * f) }

func toHex(r, g, b float64) string { return fmt.Sprintf("#%02x%02x%02x", int(r), int(g), int(b)) }

// contrastWithWhite is the WCAG contrast ratio of a colour against white.
func contrastWithWhite(r, g, b float64) float64 {
	lin := func(c float64) float64 {
		c /= 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	return 1.05 / (l + 0.05)
}
