package conformance

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints results as a table, one check a line: status, check ID,
// what it proves, detail. It ends with a count of each status.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCHECK\tPROVES\tDETAIL")
	n := map[Status]int{}
	for _, r := range results {
		n[r.Status]++
		detail := oneLine(r.Detail)
		if r.Note != "" {
			detail += " (note: " + oneLine(r.Note) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Status, r.ID, r.Title, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d pass, %d fail, %d n.p. (not provable here), %d n/a (not in this database)\n",
		n[Pass], n[Fail], n[NotProvable], n[NotApplicable])
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
