package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Column is one target's results, for WriteMatrix.
type Column struct {
	Label   string
	Results []Result
}

// WriteMatrix writes a Markdown table with one row per check and one column
// per target (pass, fail, n.p., n/a), followed by the reasons for every n.p.
// and n/a cell, grouped by target and reason. Its output depends only on
// statuses and reasons, so it is stable from run to run.
func WriteMatrix(w io.Writer, cols []Column) error {
	var b bytes.Buffer
	b.WriteString("| check |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s |", c.Label)
	}
	b.WriteString("\n|---|")
	for range cols {
		b.WriteString(":-:|")
	}
	b.WriteString("\n")
	ids := Checks()
	byID := make([]map[string]Result, len(cols))
	for i, c := range cols {
		byID[i] = map[string]Result{}
		for _, r := range c.Results {
			byID[i][r.ID] = r
		}
	}
	for _, id := range ids {
		fmt.Fprintf(&b, "| `%s` |", id)
		for i := range cols {
			cell := "—"
			if r, ok := byID[i][id]; ok {
				cell = r.Status.String()
				if r.Status == Pass && r.Note != "" {
					cell += "*"
				}
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nReasons for n.p. (not provable on this machine) and n/a (the database has no such feature):\n\n")
	server := ServerChecks()
	for _, c := range cols {
		var reasons []string
		group := map[string][]string{}
		for _, r := range c.Results {
			if r.Status != NotProvable && r.Status != NotApplicable {
				continue
			}
			k := r.Status.String() + ": " + oneLine(r.Detail)
			if _, ok := group[k]; !ok {
				reasons = append(reasons, k)
			}
			group[k] = append(group[k], r.ID)
		}
		for _, k := range reasons {
			which := "`" + strings.Join(group[k], "`, `") + "`"
			if slices.Equal(group[k], server) {
				which = "every check that needs a server"
			}
			fmt.Fprintf(&b, "- **%s** %s — %s\n", c.Label, which, k)
		}
	}
	writeNotes(&b, cols)
	_, err := w.Write(b.Bytes())
	return err
}

// writeNotes lists the passes with a note (pass* in the table), grouped
// by target and note; nothing when there are none.
func writeNotes(b *bytes.Buffer, cols []Column) {
	head := false
	for _, c := range cols {
		var notes []string
		group := map[string][]string{}
		for _, r := range c.Results {
			if r.Status != Pass || r.Note == "" {
				continue
			}
			k := oneLine(r.Note)
			if _, ok := group[k]; !ok {
				notes = append(notes, k)
			}
			group[k] = append(group[k], r.ID)
		}
		for _, k := range notes {
			if !head {
				b.WriteString("\npass*: a pass with a caveat:\n\n")
				head = true
			}
			fmt.Fprintf(b, "- **%s** `%s` — %s\n", c.Label, strings.Join(group[k], "`, `"), k)
		}
	}
}

// Markers delimit the generated matrix in README.md.
const (
	MatrixStart = "<!-- conformance-matrix:start -->"
	MatrixEnd   = "<!-- conformance-matrix:end -->"
)

// UpdateReadme replaces what lies between MatrixStart and MatrixEnd in the
// file at path with the matrix of cols, leaving the rest untouched.
func UpdateReadme(path string, cols []Column) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, MatrixStart), strings.Index(s, MatrixEnd)
	if i < 0 || j < i {
		return errors.New("conformance: " + path + " lacks the markers " + MatrixStart + " … " + MatrixEnd)
	}
	var m bytes.Buffer
	if err := WriteMatrix(&m, cols); err != nil {
		return err
	}
	out := s[:i+len(MatrixStart)] + "\n" + m.String() + s[j:]
	if out == s {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(out), st.Mode().Perm())
}
