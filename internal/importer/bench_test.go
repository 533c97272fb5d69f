package importer

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// BenchmarkDecodePenalties measures the Go side of a penalty import per
// row: CSV, encoding checks, validation and the checks for repeats.
func BenchmarkDecodePenalties(b *testing.B) {
	var buf bytes.Buffer
	rows := []string{}
	for i := range 10000 {
		rows = append(rows, penaltyRow(map[string]string{"CF_WSH": fmt.Sprintf("丹市监罚〔2024〕%d号", i),
			"CF_SY": "经查，当事人于2024年1月销售超过保质期的食品，货值金额1,200元，违法所得300元，情节较轻。"}))
	}
	buf.WriteString(penaltyCSV(rows...))
	data := buf.Bytes()
	b.SetBytes(int64(len(data)) / 10000)
	b.ResetTimer()
	for i := 0; i < b.N; {
		r, err := NewPenalties(bytes.NewReader(data), Auto, today, testRules(b, severityRow))
		if err != nil {
			b.Fatal(err)
		}
		for ; i < b.N; i++ {
			if _, rej, err := r.Next(); err == io.EOF {
				break
			} else if err != nil || rej != nil {
				b.Fatal(err, rej)
			}
		}
	}
}
