package linkhub

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status in the web package.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMIT    = "rate_limited"
	EUNAVAILABLE  = "unavailable"
	EEXPIRED      = "expired"
	ESPENT        = "spent" // a one-time link already used
	// EVENDOR is a vendor answer Linkhub cannot pass on (too large, not the
	// expected format): the HTTP layer's 502.
	EVENDOR = "vendor_error"
)

// Error is an error meant for the end user: Message is a full sentence that is
// safe to show, Field names the input it is about (if any). Anything that is not
// an *Error is internal and is never shown.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface. It never includes wrapped causes.
func (e *Error) Error() string {
	return fmt.Sprintf("linkhub error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID *Error about one input field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Message: message, Field: field}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	} else if e, ok := asError(err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the *Error's message, or
// "Internal error." for anything else so that internals never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	} else if e, ok := asError(err); ok {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the input field an *Error in err's chain is about, or "".
func ErrorField(err error) string {
	if e, ok := asError(err); ok {
		return e.Field
	}
	return ""
}

// errUnstorableText is what PostgreSQL's refusal of text it cannot store
// means to the user.
var errUnstorableText = &Error{Code: EINVALID,
	Message: "The text contains a NUL character or invalid UTF-8, which cannot be stored. Remove it and try again."}

// asError finds the *Error in err's chain. It is also the one place where
// PostgreSQL's check of text bound for text and jsonb is read: a NUL or
// invalid UTF-8 (SQLSTATE 22021, or 22P05 for \u0000 in jsonb) is refused
// by the database before anything is written, and is the input's fault, not
// an internal error, wherever it came from. (The driver is not imported
// here: its error is recognised by its SQLState method.)
func asError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) && (pg.SQLState() == "22021" || pg.SQLState() == "22P05") {
		return errUnstorableText, true
	}
	return nil, false
}
