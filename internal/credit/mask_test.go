package credit

import "testing"

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三": "张*", "欧阳娜娜": "欧***", "李": "李", "": ""} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskID(t *testing.T) {
	id := "210602198001010013"
	tests := []struct {
		m    IDMask
		in   string
		want string
	}{
		{ShowFullID, id, id},
		{ShowLastFour, id, "**************0013"},
		{ShowRegionAndLastFour, id, "2106**********0013"},
		{ShowRegionAndLastFour, "E12345678", "*****5678"},
		{ShowLastFour, "123", "***"},
		{ShowLastFour, "", ""},
	}
	for _, tt := range tests {
		if got := MaskID(tt.in, tt.m); got != tt.want {
			t.Errorf("MaskID(%q, %d) = %q, want %q", tt.in, tt.m, got, tt.want)
		}
	}
}

func TestMaskedLeavesOrganisationsAlone(t *testing.T) {
	org := Subject{Code: "91210602MA10QX7K9W", Kind: LegalPerson, Name: "丹东某某有限公司", Address: "振兴区"}
	if got := AccessOf(RolePublic).Masked(org); got.Code != org.Code || got.Name != org.Name || got.Address != org.Address {
		t.Fatalf("got %+v, want the organisation unchanged", got)
	}
	person := Subject{Code: "210602198001010013", Kind: NaturalPerson, Name: "张三", Address: "某街1号"}
	got := AccessOf(RolePublic).Masked(person)
	if got.Code != "2106**********0013" || got.Name != "张*" || got.Address != "" {
		t.Fatalf("public view of a person: got %+v", got)
	}
	got = AccessOf(RoleBank).Masked(person)
	if got.Code != "**************0013" || got.Name != "张三" {
		t.Fatalf("bank view of a person: got %+v", got)
	}
	if got := AccessOf(RoleCreditOffice).Masked(person); got.Code != person.Code || got.Name != person.Name || got.Address != person.Address {
		t.Fatalf("credit office view: got %+v, want unmasked", got)
	}
}
