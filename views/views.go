// Package views holds the templ components. Pages take view models holding
// only what they show: never database rows, never secrets.
package views

import (
	"fmt"
	"strconv"
)

func statusText(code int) string {
	if code == 0 {
		return "Error"
	}
	return "Error " + strconv.Itoa(code)
}

// pendingFailed says how many of an endpoint's deliveries wait or failed.
func pendingFailed(pending, failed int) string {
	return fmt.Sprintf("%d pending, %d failed", pending, failed)
}
