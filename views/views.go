// Package views holds the templ components. Pages take view models holding
// only what they show: never database rows, never secrets.
package views

import "strconv"

func statusText(code int) string {
	if code == 0 {
		return "Error"
	}
	return "Error " + strconv.Itoa(code)
}
