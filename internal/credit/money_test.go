package credit

import "testing"

func TestParseWanConvertsExactly(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"0.2", "2000.00"},
		{"0", "0.00"},
		{"12.5", "125000.00"},
		{"3", "30000.00"},
		{"0.000001", "0.01"},
		{".5", "5000.00"},
		{" 1.234567 ", "12345.67"},
	}
	for _, tt := range tests {
		got, err := ParseWan(tt.in)
		if err != nil {
			t.Fatalf("ParseWan(%q): %v", tt.in, err)
		}
		if got.String() != tt.want {
			t.Errorf("ParseWan(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseWanRejectsWhatIsNotAnExactAmount(t *testing.T) {
	for _, in := range []string{"", "-0.2", "0.0000001", "1e3", "abc", "1.", ".", "1,000", "１"} {
		if got, err := ParseWan(in); err == nil {
			t.Errorf("ParseWan(%q) = %s, want an error", in, got)
		}
	}
}

func TestFenWanRoundTrips(t *testing.T) {
	for _, in := range []string{"0.2", "12.5", "3", "0.000001", "0"} {
		f, err := ParseWan(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Wan(); got != in {
			t.Errorf("ParseWan(%q).Wan() = %q, want %q", in, got, in)
		}
	}
}

func TestParseYuan(t *testing.T) {
	got, err := ParseYuan("2000.5")
	if err != nil || got != 200050 {
		t.Fatalf("ParseYuan(2000.5) = %d, %v, want 200050", got, err)
	}
	if _, err := ParseYuan("1.234"); err == nil {
		t.Fatal("ParseYuan(1.234): want an error for a fraction of a fen")
	}
}
