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
	public := AccessOf(RolePublic)
	public.Refs = NewEntityRefs([]byte("a deployment's secret"))
	got := public.Masked(person)
	if got.DisplayCode() != "2106**********0013" || !IsMaskedRef(got.Code) || len(got.Code) != len(MaskedRefPrefix)+24 || got.Name != "张*" || got.Address != "" {
		t.Fatalf("public view of a person: got %+v", got)
	}
	bank := AccessOf(RoleBank)
	bank.Refs = public.Refs
	got2 := bank.Masked(person)
	if got2.DisplayCode() != "**************0013" || got2.Code != got.Code || got2.Name != "张三" {
		t.Fatalf("bank view of a person: got %+v (the same person has the same reference)", got2)
	}
	if other := bank.Masked(Subject{Code: "210602198001010021", Kind: NaturalPerson}); other.Code == got.Code {
		t.Fatalf("two persons share the reference %s", got.Code)
	}
	if keyless := AccessOf(RoleBank).Masked(person); keyless.Code != MaskedRefPrefix {
		t.Fatalf("without a key: got %s, want the bare %s", keyless.Code, MaskedRefPrefix)
	}
	got = got2
	if got.Code == person.Code || got.Name != "张三" {
		t.Fatalf("bank view of a person: got %+v", got)
	}
	if got := AccessOf(RoleCreditOffice).Masked(person); got.Code != person.Code || got.Name != person.Name || got.Address != person.Address {
		t.Fatalf("credit office view: got %+v, want unmasked", got)
	}
}
