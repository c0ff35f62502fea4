//go:build integration

package detect

// The integration run makes 100,000 keys of each generator, a tenth of
// simulationKeys (see keyNameKeys).
func init() { keyNameKeys = 100_000 }
