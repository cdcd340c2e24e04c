package kit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Failure is why a stage failed, in words a user can act on. It never holds a
// Go error string, only a reason code, a hint and a redacted snippet.
type Failure struct {
	Reason string
	Hint   string
	// AdminHint is what only an admin can do about it; never shown to the
	// end user (linkhub.Stage.AdminHint).
	AdminHint  string
	HTTPStatus int
	Snippet    string

	text *text // what Hint says, to word it in the user's language
}

// Error implements error; the text is safe to log.
func (f *Failure) Error() string {
	return fmt.Sprintf("connector: %s (status %d): %s", f.Reason, f.HTTPStatus, f.Hint)
}

// UserError turns f into the *linkhub.Error that Connector.Token returns.
func (f *Failure) UserError() *linkhub.Error {
	code := linkhub.EUNAVAILABLE
	switch f.Reason {
	case linkhub.ReasonInvalidInput:
		code = linkhub.EINVALID
	case linkhub.ReasonBadCredentials, linkhub.ReasonUnknownClient:
		code = linkhub.EUNAUTHORIZED
	case linkhub.ReasonScopeNotGranted, linkhub.ReasonPermissionMissing, linkhub.ReasonAddressNotAllowed:
		code = linkhub.EFORBIDDEN
	}
	return &linkhub.Error{Code: code, Message: f.Hint}
}

// NetFailure explains a transport error (no HTTP answer at all) in plain
// words. host is the name the user would recognise. The error's own text is
// never used: it can hold addresses and internals.
func NetFailure(err error, host string, cfg Config) *Failure {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case isProhibited(err):
		return failure(linkhub.ReasonAddressNotAllowed, "address_not_allowed", host)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return failure(linkhub.ReasonDNSNotFound, "dns_not_found", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return failure(linkhub.ReasonConnectionRefused, "connection_refused", host)
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidCert):
		return failure(linkhub.ReasonTLSInvalid, "tls_invalid", host)
	case errors.Is(err, http.ErrSchemeMismatch):
		// Go's transport saw an HTTP answer to its TLS hello.
		return failure(linkhub.ReasonSchemeMismatch, "scheme_mismatch", host)
	case errors.As(err, &recordErr):
		return failure(linkhub.ReasonTLSInvalid, "tls_not_https", host)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return failure(linkhub.ReasonTimeout, "timeout", host, cfg.RequestTimeout())
	default:
		return failure(linkhub.ReasonVendorUnavailable, "connection_failed", host)
	}
}

// StatusFailure explains a vendor API answer that is not a success. It covers
// what all vendors share; callers handle vendor-specific statuses first.
func StatusFailure(status int, body []byte, vendor string, secrets ...string) *Failure {
	f := &Failure{HTTPStatus: status, Snippet: Snippet(body, secrets...)}
	switch {
	case status == 401:
		f.Reason = linkhub.ReasonBadCredentials
		f.say("token_refused", vendor)
	case status == 403:
		f.Reason = linkhub.ReasonPermissionMissing
		f.say("client_permission_missing", vendor)
	case status == 404:
		f.Reason = linkhub.ReasonNotVendor
		f.say("api_path_not_found", vendor)
	case status == 429 || status >= 500:
		f.Reason = linkhub.ReasonVendorUnavailable
		f.say(linkhub.ReasonVendorUnavailable, vendor)
	case status >= 300 && status < 400:
		f.Reason = linkhub.ReasonNotVendor
		f.say("redirected", vendor)
	default:
		f.Reason = linkhub.ReasonUnexpectedResponse
		f.say(linkhub.ReasonUnexpectedResponse, vendor)
	}
	return f
}
