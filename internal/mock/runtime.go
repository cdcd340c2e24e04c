package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.RuntimeConnectorService = (*RuntimeConnectorService)(nil)

// RuntimeConnectorService is a linkhub.RuntimeConnectorService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type RuntimeConnectorService struct {
	FindRuntimeConnectorsFn        func(ctx context.Context) ([]*linkhub.RuntimeConnector, error)
	FindRuntimeConnectorFn         func(ctx context.Context, id string) (*linkhub.RuntimeConnector, error)
	FindRuntimeConnectorVersionsFn func(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error)
	SaveRuntimeConnectorFn         func(ctx context.Context, actor linkhub.Actor, id, source string, replaces bool) (*linkhub.RuntimeConnector, error)
	SetRuntimeConnectorDisabledFn  func(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error
	DeleteRuntimeConnectorFn       func(ctx context.Context, actor linkhub.Actor, id string) error
	RuntimeConnectorsGenerationFn  func(ctx context.Context) (int64, error)
}

// FindRuntimeConnectors calls FindRuntimeConnectorsFn.
func (m *RuntimeConnectorService) FindRuntimeConnectors(ctx context.Context) ([]*linkhub.RuntimeConnector, error) {
	return m.FindRuntimeConnectorsFn(ctx)
}

// FindRuntimeConnector calls FindRuntimeConnectorFn.
func (m *RuntimeConnectorService) FindRuntimeConnector(ctx context.Context, id string) (*linkhub.RuntimeConnector, error) {
	return m.FindRuntimeConnectorFn(ctx, id)
}

// FindRuntimeConnectorVersions calls FindRuntimeConnectorVersionsFn.
func (m *RuntimeConnectorService) FindRuntimeConnectorVersions(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
	return m.FindRuntimeConnectorVersionsFn(ctx, id)
}

// SaveRuntimeConnector calls SaveRuntimeConnectorFn.
func (m *RuntimeConnectorService) SaveRuntimeConnector(ctx context.Context, actor linkhub.Actor, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
	return m.SaveRuntimeConnectorFn(ctx, actor, id, source, replaces)
}

// SetRuntimeConnectorDisabled calls SetRuntimeConnectorDisabledFn.
func (m *RuntimeConnectorService) SetRuntimeConnectorDisabled(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error {
	return m.SetRuntimeConnectorDisabledFn(ctx, actor, id, disabled)
}

// DeleteRuntimeConnector calls DeleteRuntimeConnectorFn.
func (m *RuntimeConnectorService) DeleteRuntimeConnector(ctx context.Context, actor linkhub.Actor, id string) error {
	return m.DeleteRuntimeConnectorFn(ctx, actor, id)
}

// RuntimeConnectorsGeneration calls RuntimeConnectorsGenerationFn.
func (m *RuntimeConnectorService) RuntimeConnectorsGeneration(ctx context.Context) (int64, error) {
	return m.RuntimeConnectorsGenerationFn(ctx)
}

// RuntimeConnectors manages the admins' runtime connectors as web sees
// them; *connector.Runtime is one.
type RuntimeConnectors struct {
	CatalogFn     func(ctx context.Context) ([]linkhub.CatalogEntry, error)
	CheckFn       func(file, id, source string, replaces bool) (linkhub.ConnectorSpec, error)
	TestFn        func(ctx context.Context, file, id, source string, replaces bool, in linkhub.TestInput) (linkhub.Report, error)
	SaveFn        func(ctx context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error)
	FindFn        func(ctx context.Context, id string) (*linkhub.RuntimeConnector, error)
	VersionsFn    func(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error)
	SetDisabledFn func(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error
	DeleteFn      func(ctx context.Context, actor linkhub.Actor, id string) error
}

// Catalog calls CatalogFn.
func (m *RuntimeConnectors) Catalog(ctx context.Context) ([]linkhub.CatalogEntry, error) {
	return m.CatalogFn(ctx)
}

// Check calls CheckFn.
func (m *RuntimeConnectors) Check(file, id, source string, replaces bool) (linkhub.ConnectorSpec, error) {
	return m.CheckFn(file, id, source, replaces)
}

// Test calls TestFn.
func (m *RuntimeConnectors) Test(ctx context.Context, file, id, source string, replaces bool, in linkhub.TestInput) (linkhub.Report, error) {
	return m.TestFn(ctx, file, id, source, replaces, in)
}

// Save calls SaveFn.
func (m *RuntimeConnectors) Save(ctx context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
	return m.SaveFn(ctx, actor, file, id, source, replaces)
}

// Find calls FindFn.
func (m *RuntimeConnectors) Find(ctx context.Context, id string) (*linkhub.RuntimeConnector, error) {
	return m.FindFn(ctx, id)
}

// Versions calls VersionsFn.
func (m *RuntimeConnectors) Versions(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
	return m.VersionsFn(ctx, id)
}

// SetDisabled calls SetDisabledFn.
func (m *RuntimeConnectors) SetDisabled(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error {
	return m.SetDisabledFn(ctx, actor, id, disabled)
}

// Delete calls DeleteFn.
func (m *RuntimeConnectors) Delete(ctx context.Context, actor linkhub.Actor, id string) error {
	return m.DeleteFn(ctx, actor, id)
}
