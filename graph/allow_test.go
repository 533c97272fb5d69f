package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

// fieldActions names the action of credit/access.go's table behind each
// root field that is one; the schema's @allow on the field must list the
// same roles as the table, so that the outer fence and the rule agree.
var fieldActions = map[string]credit.Action{
	"Query.creditCheck":                credit.ActCreditCheck,
	"Query.applicantCheck":             credit.ActApplicantCheck,
	"Query.disclosureTimeliness":       credit.ActTimeliness,
	"Query.myAssignments":              credit.ActReadAssignments,
	"Query.jointCases":                 credit.ActListJointCases,
	"Query.jointCaseStats":             credit.ActJointStatistics,
	"Subject.queryLog":                 credit.ActReadQueryLog,
	"Mutation.recordLicence":           credit.ActWriteRecords,
	"Mutation.recordPenalty":           credit.ActWriteRecords,
	"Mutation.revokeLicence":           credit.ActWriteRecords,
	"Mutation.revokePenalty":           credit.ActWriteRecords,
	"Mutation.registerSubject":         credit.ActWriteRecords,
	"Mutation.proposeListEntry":        credit.ActProposeListEntry,
	"Mutation.approveListEntry":        credit.ActDecideListEntry,
	"Mutation.rejectListEntry":         credit.ActDecideListEntry,
	"Mutation.exitListEntry":           credit.ActExitListEntry,
	"Mutation.acceptAssignment":        credit.ActRespondAssignment,
	"Mutation.rejectAssignment":        credit.ActRespondAssignment,
	"Mutation.recordExecution":         credit.ActRecordExecution,
	"Mutation.submitFeedback":          credit.ActSubmitFeedback,
	"Subscription.assignmentPushed":    credit.ActSubscribePushes,
	"Query.keyPersonRequests":          credit.ActDecideKeyPersons,
	"Mutation.approveKeyPersonRequest": credit.ActDecideKeyPersons,
	"Mutation.rejectKeyPersonRequest":  credit.ActDecideKeyPersons,
	"Query.rules":                      credit.ActReadReference,
	"Query.departments":                credit.ActReadReference,
	"Query.measureCatalogue":           credit.ActReadReference,
	"Mutation.saveDepartment":          credit.ActManageReference,
	"Mutation.addMeasureVersion":       credit.ActManageReference,
	"Mutation.setRule":                 credit.ActManageReference,
	"Mutation.removeRule":              credit.ActManageReference,
}

func TestAllowDirectivesListTheRolesOfTheAccessTable(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	for name, act := range fieldActions {
		typ, field, _ := strings.Cut(name, ".")
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("%s: no such field in the schema", name)
			continue
		}
		d := def.Fields.ForName(field).Directives.ForName("allow")
		if d == nil {
			t.Errorf("%s: no @allow", name)
			continue
		}
		var got []string
		for _, v := range d.Arguments.ForName("roles").Value.Children {
			got = append(got, v.Value.Raw)
		}
		var want []string
		for _, r := range credit.RolesFor(act) {
			want = append(want, string(r))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: @allow lists %v, the access table (%q) %v", name, got, act, want)
		}
	}
	// Every action of the table is behind some field or is a command-line one.
	used := map[credit.Action]bool{credit.ActManageKeys: true, credit.ActReadJointCases: true, credit.ActListEntryHistory: true}
	for _, a := range fieldActions {
		used[a] = true
	}
	for _, a := range credit.Actions() {
		if !used[a] {
			t.Errorf("action %q is in the access table but behind no field of this test", a)
		}
	}
}
