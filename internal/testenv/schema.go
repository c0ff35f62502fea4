package testenv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema compiles the JSON schema at path.
func Schema(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// SARIFSchema compiles the official SARIF 2.1.0 schema from ../shared.
func SARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	shared := Shared(t, "data/sarif-schema-2.1.0.json")
	return Schema(t, filepath.Join(shared, "data", "sarif-schema-2.1.0.json"))
}

// Validate checks a JSON document against a schema.
func Validate(t testing.TB, schema *jsonschema.Schema, doc []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return schema.Validate(inst)
}
