package main

import (
	"encoding/pem"
	"os"
	"path/filepath"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// cleanup collects the fakes' Close calls: the fake package wants a test's
// Cleanup, and this program is not a test.
type cleanup []func()

func (c *cleanup) Helper()          {}
func (c *cleanup) Cleanup(f func()) { *c = append(*c, f) }

func (c *cleanup) run() {
	for i := len(*c) - 1; i >= 0; i-- {
		(*c)[i]()
	}
}

// startVendor starts a fake NinjaOne on loopback and writes its certificate
// where Linkhub's LINKHUB_EXTRA_CA_FILE can read it. Linkhub reaches it as the
// region "eu".
func startVendor(c *cleanup, dir string) (*fake.NinjaOne, []string, error) {
	v := fake.NewNinjaOne(c)
	ca := filepath.Join(dir, "vendor-ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: v.Certificate().Raw})
	if err := os.WriteFile(ca, cert, 0o644); err != nil {
		return nil, nil, err
	}
	env := []string{"LINKHUB_EXTRA_CA_FILE=" + ca, "LINKHUB_ALLOW_PRIVATE_NETWORKS=true",
		"LINKHUB_CONNECTOR_NINJAONE_HOSTS=instance.eu=" + v.URL}
	return v, env, nil
}
