package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// The spool keeps the query-use log durable while PostgreSQL cannot take
// it. A batch that cannot be written to query_log is appended to a file in
// the spool directory and fsynced before its readers are answered; a
// shipper moves the spooled rows into query_log once PostgreSQL is back
// (and at start, for what a previous process left), then removes the file.
// So a read is answered only once its row is on disk, PostgreSQL's or the
// hub's, and the cached checks banks and windows rely on keep being served
// while PostgreSQL is down.

type spool struct {
	dir string

	mu      sync.Mutex
	cur     *os.File // the file being appended to, while PostgreSQL is down
	curName string
}

const spoolPrefix, spoolSuffix = "query-log-", ".jsonl"

func openSpool(dir string) (*spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("query log: spool directory: %w", err)
	}
	return &spool{dir: dir}, nil
}

// spoolRow is a spooled row; the same fields as query_log's.
type spoolRow struct {
	At           time.Time `json:"at"`
	CallerID     string    `json:"caller_id"`
	Institution  string    `json:"institution"`
	Role         string    `json:"role"`
	Purpose      string    `json:"purpose"`
	SubjectCodes []string  `json:"subject_codes"`
	Operation    string    `json:"operation"`
}

// append writes rows to the current file and syncs it: when it returns nil
// the rows survive a crash of the process and of the machine.
func (sp *spool) append(rows []store.QueryUse) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, r := range rows {
		if err := enc.Encode(spoolRow{At: r.At, CallerID: r.CallerID, Institution: r.Institution, Role: string(r.Role),
			Purpose: r.Purpose, SubjectCodes: r.SubjectCodes, Operation: r.Operation}); err != nil {
			return err
		}
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.cur == nil {
		name := filepath.Join(sp.dir, fmt.Sprintf("%s%d%s", spoolPrefix, time.Now().UnixNano(), spoolSuffix))
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return err
		}
		if err := syncDir(sp.dir); err != nil {
			f.Close()
			return err
		}
		sp.cur, sp.curName = f, name
	}
	if _, err := sp.cur.WriteString(b.String()); err != nil {
		return err
	}
	return sp.cur.Sync()
}

// open reports whether a file is being appended to.
func (sp *spool) open() bool {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.cur != nil
}

// seal closes the current file: the shipper may move it now.
func (sp *spool) seal() {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.cur != nil {
		sp.cur.Close()
		sp.cur, sp.curName = nil, ""
	}
}

// files lists the sealed files, oldest first.
func (sp *spool) files() []string {
	entries, _ := os.ReadDir(sp.dir)
	sp.mu.Lock()
	cur := sp.curName
	sp.mu.Unlock()
	var out []string
	for _, e := range entries {
		name := filepath.Join(sp.dir, e.Name())
		if strings.HasPrefix(e.Name(), spoolPrefix) && strings.HasSuffix(e.Name(), spoolSuffix) && name != cur {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ship moves every sealed file into query_log, file by file, each in one
// transaction, and removes it; it stops at the first failure. It returns
// how many rows it moved.
func (sp *spool) ship(ctx context.Context, db *store.DB, batch int) (int, error) {
	moved := 0
	for _, name := range sp.files() {
		rows, err := readSpool(name)
		if err != nil {
			return moved, err
		}
		err = db.InTx(ctx, func(tx *store.DB) error {
			for i := 0; i < len(rows); i += batch {
				if err := tx.InsertQueryUses(ctx, rows[i:min(i+batch, len(rows))]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return moved, err
		}
		if err := os.Remove(name); err != nil {
			return moved, err
		}
		moved += len(rows)
	}
	return moved, nil
}

func readSpool(name string) ([]store.QueryUse, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []store.QueryUse
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r spoolRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			// A torn last line (a crash in the middle of a write that was
			// never acknowledged): what was acknowledged ends before it.
			break
		}
		rows = append(rows, store.QueryUse{At: r.At, CallerID: r.CallerID, Institution: r.Institution,
			Role: credit.Role(r.Role), Purpose: r.Purpose, SubjectCodes: r.SubjectCodes, Operation: r.Operation})
	}
	return rows, sc.Err()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
