package credit

import (
	"fmt"
	"strings"
)

// RulesMarkdown renders rule rows as one Markdown table, for the README
// (`credithub rules show --all --markdown` writes it; a test holds the
// README to it): rule and scope, validity, parameters, legal basis and
// note.
func RulesMarkdown(rows []RuleInForce) string {
	var b strings.Builder
	b.WriteString("| rule | for | in force | parameters | legal basis | note |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range rows {
		valid := "from " + r.EffectiveFrom.String()
		if u := r.Until(); u != nil {
			valid = r.EffectiveFrom.String() + " … " + u.String()
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s | %s |\n", mdCell(string(r.Rule)), mdCell(r.Scope), valid,
			strings.ReplaceAll(r.Parameters(), "|", `\|`), mdCell(r.LegalBasis), mdCell(r.Note))
	}
	return b.String()
}

// mdCell escapes what would end a Markdown table cell or row.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
