package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/djguard/djguard/detect"
)

// SARIF 2.1.0, in the subset GitHub code scanning reads.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool       `json:"tool"`
	Results    json.RawMessage `json:"results"` // itemsMarker: streamed
	ColumnKind string          `json:"columnKind"`
	// Invocations, when set, carry a notification for each file that
	// could hold a key and was not read.
	Invocations []sarifInvocation `json:"invocations,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string              `json:"level"`
	Message   sarifText           `json:"message"`
	Locations []sarifFileLocation `json:"locations"`
}

type sarifFileLocation struct {
	PhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
	} `json:"physicalLocation"`
}

// notReadInvocation says which files the scan did not read, and why, as
// SARIF's notifications of a successful run; nil when it read them all.
func notReadInvocation(r *Report, scrub *scrubber) []sarifInvocation {
	if len(r.NotRead) == 0 {
		return nil
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range r.notRead(scrub) {
		var loc sarifFileLocation
		loc.PhysicalLocation.ArtifactLocation = sarifArtifact{URI: n.Path, URIBaseID: "%SRCROOT%"}
		inv.Notifications = append(inv.Notifications, sarifNotification{
			Level:     "warning",
			Message:   sarifText{Text: "not read, though it could hold a key: " + n.Reason},
			Locations: []sarifFileLocation{loc},
		})
	}
	return []sarifInvocation{inv}
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Severity    string `json:"severity"`
	Fingerprint string `json:"fingerprint"`
	Name        string `json:"name,omitempty"`
	// Set by a history audit only.
	Commit      string   `json:"commit,omitempty"`
	Author      string   `json:"author,omitempty"`
	Date        string   `json:"date,omitempty"`
	CommitCount int      `json:"commitCount,omitempty"`
	Paths       []string `json:"paths,omitempty"`
	InHead      *bool    `json:"inHead,omitempty"`
	// Where the introducing commit has it: the result's location is
	// HEAD's (see analysedPlace).
	CommitPath string `json:"commitPath,omitempty"`
	CommitLine int    `json:"commitLine,omitempty"`
	// Set by an image scan only: the location's URI is the image's, then
	// the file in it.
	Image          string   `json:"image,omitempty"`
	ImagePlatforms []string `json:"imagePlatforms,omitempty"`
	ImageLayer     string   `json:"imageLayer,omitempty"`
	ImageStep      string   `json:"imageStep,omitempty"`
	ImageField     string   `json:"imageField,omitempty"`
	ImageDeleted   bool     `json:"imageDeleted,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

// sarifRegion has only startLine for a stand-in location: line 1 of a
// file that no longer holds the secret.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// rule describes one finding class for SARIF consumers.
type rule struct {
	class     detect.Class
	name      string
	short     string
	full      string
	precision string
	severity  string // GitHub's security-severity, 0.0 to 10.0
}

var rules = []rule{
	{detect.InsecureKey, "DjangoInsecureKey", "Django development key (django-insecure-) committed",
		"A key generated by django-admin startproject, with the django-insecure- prefix, is committed. Anyone with the repository can sign sessions, password-reset tokens and signed cookies for any deployment that runs it.",
		"very-high", "9.1"},
	{detect.HardcodedFallback, "DjangoSecretKeyFallback", "Hardcoded fallback for the Django secret key",
		"An environment read of the secret key has a literal default. Any deployment where the variable is unset silently runs this committed key.",
		"high", "8.1"},
	{detect.HardcodedKey, "DjangoSecretKeyHardcoded", "Django SECRET_KEY hardcoded",
		"SECRET_KEY, or a variable that holds it, is set to a literal value in a committed file. Anyone with the repository can forge what Django signs with it.",
		"high", "9.1"},
	{detect.WeakKey, "DjangoSecretKeyWeak", "Django secret key too weak for production",
		"The literal key is shorter than 50 characters or has fewer than 5 distinct characters: Django's deploy check rejects it (security.W009).",
		"medium", "5.3"},
	{detect.BareKey, "DjangoSecretKeyBare", "String with the profile of a Django secret key",
		"A string with no key context has the length, alphabet and randomness of a key made by Django's get_random_secret_key, in a committed file.",
		"medium", "7.5"},
}

// ruleHelp is shown by code-scanning services beside each alert.
const ruleHelp = "Rotate the key: generate a new one (djguard keygen), store it in an environment variable or a secrets manager, make settings read os.environ[\"DJANGO_SECRET_KEY\"] with no literal fallback, and redeploy. Do not list a leaked key in SECRET_KEY_FALLBACKS. Users are logged out and outstanding reset links stop working. Deleting the key from git history does not un-leak it. A false positive can be marked with a djguard:allow comment on its line."

// SARIF writes the report as a SARIF 2.1.0 log. Paths are relative URIs
// against %SRCROOT%, so run djguard from the repository root. Replacement
// keys are left out: SARIF files are uploaded and kept where many can read
// them.
func SARIF(w io.Writer, r *Report, opt Options) error {
	index := map[detect.Class]int{}
	driver := sarifDriver{Name: "djguard", Version: opt.Version, InformationURI: "https://github.com/djguard/djguard"}
	for i, ru := range rules {
		index[ru.class] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   string(ru.class),
			Name:                 ru.name,
			ShortDescription:     sarifText{Text: ru.short},
			FullDescription:      sarifText{Text: ru.full},
			Help:                 sarifText{Text: ruleHelp, Markdown: ruleHelp},
			DefaultConfiguration: sarifConfig{Level: levelOf(defaultSeverity(ru.class))},
			Properties:           sarifRuleProps{Tags: []string{"security", "secret", "django"}, Precision: ru.precision, SecuritySeverity: ru.severity},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: itemsMarker, ColumnKind: "unicodeCodePoints"}
	scrub := r.scrubber(opt)
	result := func(i int) any {
		f := r.Findings[i]
		props := sarifResultProps{Severity: f.Severity.String(), Fingerprint: f.Fingerprint, Name: f.Name}
		if o := f.Origin; o != nil {
			props.Commit, props.Author, props.Date = o.Commit, scrub.name(authorOf(o)), o.Date.Format(time.RFC3339)
			props.CommitCount, props.Paths, props.InHead = o.CommitCount, scrub.nameList(o.Paths), &o.InHead
			props.CommitPath, props.CommitLine = scrub.name(f.Path), f.Line
		}
		if im := f.Image; im != nil {
			props.Image, props.ImagePlatforms, props.ImageLayer = scrub.name(im.Image), im.Platforms, im.Layer
			props.ImageStep, props.ImageField, props.ImageDeleted = scrub.scrub(im.Step), im.Field, im.Deleted
		}
		at := analysedPlace(f)
		return sarifResult{
			RuleID:    string(f.Class),
			RuleIndex: index[f.Class],
			Level:     levelOf(f.Severity),
			Message:   sarifText{Text: fmt.Sprintf("%s: %s (fingerprint %s).%s", describe(f), secretText(f, opt), f.Fingerprint, at.goneNote(f, scrub))},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: scrub.name(at.Path), URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: at.Line, StartColumn: at.Column, EndLine: at.EndLine, EndColumn: at.EndColumn},
			}}},
			PartialFingerprints: map[string]string{"djguardFinding/v1": partialFingerprint(f)},
			Properties:          props,
		}
	}
	run.Invocations = notReadInvocation(r, scrub)
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	return streamJSON(w, log, len(r.Findings), result)
}

// partialFingerprint identifies an alert across runs by what it is and
// where, not by its line: a rule, a file and a secret. Editing lines above
// a finding keeps its alert; the same key in another file is another
// alert.
func partialFingerprint(f detect.Finding) string {
	sum := sha256.Sum256([]byte(string(f.Class) + "\x00" + f.Path + "\x00" + f.Fingerprint))
	return hex.EncodeToString(sum[:16])
}

func defaultSeverity(c detect.Class) detect.Severity {
	if c == detect.WeakKey {
		return detect.Low
	}
	return detect.High
}

func levelOf(s detect.Severity) string {
	if s == detect.High {
		return "error"
	}
	return "warning"
}
