package detect

import "testing"

// TestXMLForms: IDE run configurations and .NET config files.
func TestXMLForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"pycharm run configuration", ".idea/runConfigurations/dev.xml", "<envs>\n  <env name=\"DJANGO_SECRET_KEY\" value=\"{k}\" />\n</envs>\n", hk(2, "{k}")},
		{"workspace env, short random key", ".idea/workspace.xml", "<env name=\"SECRET_KEY\" value=\"" + alnumKey[:25] + "\"/>\n", hk(1, alnumKey[:25])},
		{"web.config appSettings", "web.config", "<add key=\"SECRET_KEY\" value=\"{k}\" />\n", hk(1, "{k}")},
		{"an escaped ampersand", "run.xml", "<env name=\"DJANGO_SECRET_KEY\" value=\"" + ampKey + "\" />\n", hk(1, ampKeyDecoded)},
	})
}

// TestXMLTraps: names without a value, and values that are not keys.
func TestXMLTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"name with no value", "run.xml", "<env name=\"DJANGO_SECRET_KEY\" />\n", none},
		{"a variable reference", "run.xml", "<env name=\"DJANGO_SECRET_KEY\" value=\"$DJANGO_SECRET_KEY$\" />\n", none},
		{"value of the next element", "run.xml", "<env name=\"DJANGO_SECRET_KEY\" />\n<env name=\"DEBUG\" value=\"" + alnumKey + "\" />\n", none},
	})
}
