package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.AuditService = (*AuditService)(nil)

// AuditService is a linkhub.AuditService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type AuditService struct {
	FindAuditEntriesFn func(ctx context.Context, filter linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error)
	CreateAuditEntryFn func(ctx context.Context, e *linkhub.AuditEntry) error
}

// FindAuditEntries calls FindAuditEntriesFn.
func (m *AuditService) FindAuditEntries(ctx context.Context, filter linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error) {
	return m.FindAuditEntriesFn(ctx, filter)
}

// CreateAuditEntry calls CreateAuditEntryFn.
func (m *AuditService) CreateAuditEntry(ctx context.Context, e *linkhub.AuditEntry) error {
	return m.CreateAuditEntryFn(ctx, e)
}
