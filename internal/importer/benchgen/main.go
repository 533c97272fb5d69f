// Command benchgen prepares `make bench-import`: it writes a deterministic
// 双公示 penalty file of any size, and (re)creates the scratch database the
// file is imported into.
//
//	benchgen file -rows 1000000 -out .bench/penalties-1000000.csv
//	benchgen db -url postgres://…/credithub_bench_import
//
// The file's rows are about rows/4 subjects drawn at random (so about four
// penalties each): four in five organisations with their legal
// representatives, one in ten individual businesses, one in ten natural
// persons, decided by the 18 reference departments from 2021 to 2025. A
// fine is given only where the kinds include 罚款 and a fifth of the
// confiscations are empty, so many rows carry a warning, and one row in
// 100,000 has a day that does not exist (a reject). The same arguments
// always give the same file; an existing file is kept.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/importer"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchgen file -rows N -out FILE | benchgen db -url URL")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "file":
		fs := flag.NewFlagSet("file", flag.ExitOnError)
		rows := fs.Int("rows", 1_000_000, "data rows")
		out := fs.String("out", ".bench/penalties-1000000.csv", "the file to write (kept when it exists)")
		_ = fs.Parse(os.Args[2:])
		err = writeFile(*out, *rows)
	case "db":
		fs := flag.NewFlagSet("db", flag.ExitOnError)
		dbURL := fs.String("url", "postgres://postgres@127.0.0.1:5432/credithub_bench_import?sslmode=disable", "the scratch database")
		_ = fs.Parse(os.Args[2:])
		err = resetDB(context.Background(), *dbURL)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

// resetDB drops and recreates the database of dbURL, migrates it and loads
// the reference departments.
func resetDB(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !strings.HasPrefix(name, "credithub_bench") {
		return fmt.Errorf("refusing to drop %q: the scratch database's name must start with credithub_bench", name)
	}
	admin := *u
	admin.Path = "/postgres"
	a, err := sql.Open("postgres", admin.String())
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := a.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		return err
	}
	db, err := store.Open(ctx, dbURL, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		return err
	}
	if err := seed.Departments(ctx, db.SQL()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchgen: fresh database %s, migrated, with the reference departments\n", name)
	return nil
}

func writeFile(path string, rows int) error {
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(os.Stderr, "benchgen: %s exists, kept\n", path)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	header := make([]string, 0, len(importer.PenaltyColumns))
	for _, c := range importer.PenaltyColumns[:len(importer.PenaltyColumns)-2] { // without SEVERITY, CF_YZCD
		header = append(header, c.Name)
	}
	if err := w.Write(header); err != nil {
		return err
	}
	g := newGen(rows)
	rec := make([]string, len(header))
	for i := range rows {
		g.row(i, rec)
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchgen: wrote %d rows to %s\n", rows, path)
	return os.Rename(tmp, path)
}

// gen makes the rows of the file.
type gen struct {
	rng   *rand.Rand
	orgs  int
	depts []string
	seq   []int // next decision number per department
}

func newGen(rows int) *gen {
	return &gen{rng: rand.New(rand.NewPCG(2026, 4)), orgs: max(rows/4, 1), depts: seed.DepartmentCodes(),
		seq: make([]int, len(seed.DepartmentCodes()))}
}

var (
	surnames  = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given     = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
	trades    = []string{"食品", "建材", "化工", "物流", "机械", "商贸", "餐饮", "印刷", "医药", "服装", "电子", "水产"}
	kinds     = []string{"罚款", "警告", "罚款;没收违法所得", "警告;罚款", "责令停产停业", "吊销许可证", "通报批评"}
	laws      = []string{"《中华人民共和国食品安全法》第一百二十四条", "《中华人民共和国大气污染防治法》第九十九条", "《中华人民共和国安全生产法》第九十九条", "《中华人民共和国产品质量法》第四十九条", "《中华人民共和国税收征收管理法》第六十三条"}
	deeds     = []string{"销售不符合食品安全标准的食品", "超标排放大气污染物", "未按规定开展安全检查", "生产不合格产品", "偷税"}
	districts = []string{"210602", "210603", "210604", "210624", "210681", "210682"}
)

// uscc is subject n's code: a valid code of a company (kind "91") or an
// individual business ("92") in Dandong. Hex digits are all in the code's
// alphabet.
func uscc(kind string, n int) string {
	body := fmt.Sprintf("%s%sMA%07X", kind, districts[n%len(districts)], n)
	c, err := credit.USCCCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

// citizenID is person n's ID number: born 1950-1999, Dandong.
func citizenID(n int) string {
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%18000)
	body := fmt.Sprintf("%s%s%03d", districts[n%len(districts)], born.Format("20060102"), n/18000%1000)
	c, err := credit.CitizenIDCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

func (g *gen) name(n int) string {
	return string(surnames[n%len(surnames)]) + string(given[n/len(surnames)%len(given)]) + string(given[n/7%len(given)])
}

// row fills rec with row i.
func (g *gen) row(i int, rec []string) {
	for j := range rec {
		rec[j] = ""
	}
	r := g.rng
	subject := r.IntN(g.orgs)
	switch k := subject % 20; {
	case k < 16: // an organisation with its legal representative
		rec[0] = fmt.Sprintf("丹东市%s%s有限公司", g.name(subject), trades[subject%len(trades)])
		rec[1], rec[2] = "法人及非法人组织", uscc("91", subject)
		rec[8], rec[9], rec[10] = g.name(subject+1_000_003), "身份证", citizenID(subject+7)
	case k < 18: // an individual business
		rec[0] = fmt.Sprintf("丹东市%s%s商行", g.name(subject), trades[subject%len(trades)])
		rec[1], rec[2] = "个体工商户", uscc("92", subject)
	default: // a natural person
		rec[0], rec[1], rec[11], rec[12] = g.name(subject), "自然人", "身份证", citizenID(subject+3_000_017)
	}
	d := r.IntN(len(g.depts))
	g.seq[d]++
	year := 2021 + i%5
	rec[13] = fmt.Sprintf("丹%02d罚〔%d〕%d号", d, year, g.seq[d])
	deed := r.IntN(len(deeds))
	rec[14] = deeds[deed]
	rec[15] = fmt.Sprintf("经查，当事人于%d年%d月%s，货值金额%d元，违法所得%d元，情节%s。", year, 1+i%12, deeds[deed],
		100+r.IntN(100000), r.IntN(5000), []string{"较轻", "一般", "较重"}[r.IntN(3)])
	rec[16] = laws[deed]
	rec[17] = kinds[r.IntN(len(kinds))]
	rec[18] = "依法作出" + rec[17] + "的行政处罚"
	if strings.Contains(rec[17], "罚款") {
		rec[19] = fmt.Sprintf("%d.%02d", r.IntN(20), r.IntN(100))
	}
	if r.IntN(5) > 0 {
		rec[20] = fmt.Sprintf("0.%04d", r.IntN(10000))
	}
	rec[22] = fmt.Sprintf("%d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28))
	if i%100_000 == 99_999 {
		rec[22] = fmt.Sprintf("%d-02-30", year)
	}
	rec[25], rec[26] = "丹东市第"+fmt.Sprint(d)+"行政执法部门", g.depts[d]
}
