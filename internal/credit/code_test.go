package credit

import (
	"strings"
	"testing"
)

func TestParseLookupCode(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		wantCode     string
		checksumOnly bool
		wantErr      bool
	}{
		{"valid USCC", "91350100M000100Y43", "91350100M000100Y43", false, false},
		{"lower-case USCC normalised", "91210602ma10qx7k9w", "91210602MA10QX7K9W", false, false},
		{"valid citizen ID", "11010519491231002X", "11010519491231002X", false, false},
		{"citizen ID with lower-case x", "11010519491231002x", "11010519491231002X", false, false},
		{"USCC failing only its checksum may be a legacy code", "91350100M000100Y4Z", "", false, true},
		{"USCC with a bad check character but well formed", "91350100M000100Y44", "91350100M000100Y44", true, false},
		{"citizen ID with a wrong check digit is looked up, then rejected", "110101199003071234", "110101199003071234", true, false},
		{"letter O", "91350100O000100Y43", "", false, true},
		{"too short", "9135", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLookupCode("code", tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseLookupCode(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if CodeOf(err) != BadUserInput {
					t.Fatalf("code = %s, want BAD_USER_INPUT", CodeOf(err))
				}
				return
			}
			if got.Code != tt.wantCode || got.ChecksumOnly != tt.checksumOnly {
				t.Fatalf("ParseLookupCode(%q) = %+v, want code %s checksumOnly %v", tt.in, got, tt.wantCode, tt.checksumOnly)
			}
		})
	}
}

func TestParseLookupCodeNamesBothRulesForAnIDShapedCode(t *testing.T) {
	got, err := ParseLookupCode("code", "110101199002301234")
	if err != nil || !got.ChecksumOnly {
		t.Fatalf("got %+v, %v; want a checksum-only code to look up", got, err)
	}
	msg := got.Err.Error()
	for _, want := range []string{"birth date 19900230 does not exist", "unified social credit code"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}
