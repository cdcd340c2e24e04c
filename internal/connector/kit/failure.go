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
		return &Failure{Reason: linkhub.ReasonAddressNotAllowed, Hint: fmt.Sprintf(
			"Linkhub may not connect to %s: it is a private or reserved network address, or a port other than 443 or 8443.", host)}
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return &Failure{Reason: linkhub.ReasonDNSNotFound, Hint: fmt.Sprintf(
			"The name %s does not exist. Check the address for typos.", host)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Failure{Reason: linkhub.ReasonConnectionRefused, Hint: fmt.Sprintf(
			"Nothing accepted the connection at %s. Check the address and port, and that the server is running.", host)}
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidCert):
		return &Failure{Reason: linkhub.ReasonTLSInvalid, Hint: fmt.Sprintf(
			"The TLS certificate of %s is not trusted (self-signed, expired or issued for another name). Install a certificate from a public authority.", host)}
	case errors.Is(err, http.ErrSchemeMismatch):
		// Go's transport saw an HTTP answer to its TLS hello.
		return &Failure{Reason: linkhub.ReasonSchemeMismatch, Hint: fmt.Sprintf(
			"%s answers plain HTTP, not HTTPS: check the port (HTTPS is usually 443 or 8443).", host)}
	case errors.As(err, &recordErr):
		return &Failure{Reason: linkhub.ReasonTLSInvalid, Hint: fmt.Sprintf(
			"%s did not answer with HTTPS. Check the address and port.", host)}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return &Failure{Reason: linkhub.ReasonTimeout, Hint: fmt.Sprintf(
			"%s did not answer within %s. Check the address, or try again later.", host, cfg.RequestTimeout())}
	default:
		return &Failure{Reason: linkhub.ReasonVendorUnavailable, Hint: fmt.Sprintf(
			"The connection to %s failed. Try again in a few minutes.", host)}
	}
}

// StatusFailure explains a vendor API answer that is not a success. It covers
// what all vendors share; callers handle vendor-specific statuses first.
func StatusFailure(status int, body []byte, vendor string, secrets ...string) *Failure {
	f := &Failure{HTTPStatus: status, Snippet: Snippet(body, secrets...)}
	switch {
	case status == 401:
		f.Reason, f.Hint = linkhub.ReasonBadCredentials,
			fmt.Sprintf("%s refused the access token it had just issued. Check that the API client is enabled.", vendor)
	case status == 403:
		f.Reason, f.Hint = linkhub.ReasonPermissionMissing,
			fmt.Sprintf("%s says the API client lacks a permission this call needs.", vendor)
	case status == 404:
		f.Reason, f.Hint = linkhub.ReasonNotVendor,
			fmt.Sprintf("This address does not look like %s: the API path was not found.", vendor)
	case status == 429 || status >= 500:
		f.Reason, f.Hint = linkhub.ReasonVendorUnavailable,
			fmt.Sprintf("%s is busy or unavailable right now. Try again in a few minutes.", vendor)
	case status >= 300 && status < 400:
		f.Reason, f.Hint = linkhub.ReasonNotVendor,
			fmt.Sprintf("The address redirected elsewhere instead of answering like %s.", vendor)
	default:
		f.Reason, f.Hint = linkhub.ReasonUnexpectedResponse,
			fmt.Sprintf("%s answered in a way Linkhub does not expect.", vendor)
	}
	return f
}
