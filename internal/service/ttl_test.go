package service

import (
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

func TestAnswersForTodayExpireAtMidnightInShanghai(t *testing.T) {
	now := time.Date(2026, 11, 27, 23, 59, 30, 0, credit.Shanghai)
	today := credit.DateOf(now)
	if got := ttlFor(today, today, now); got != 30*time.Second {
		t.Errorf("today at 23:59:30: ttl %v, want 30s", got)
	}
	utcEvening := time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC) // 23:30 in Shanghai
	if got := ttlFor(credit.DateOf(utcEvening), credit.DateOf(utcEvening), utcEvening); got != 30*time.Minute {
		t.Errorf("15:30 UTC: ttl %v, want 30m (midnight in Shanghai, not UTC)", got)
	}
	if got := ttlFor(today.AddDays(-1), today, now); got != time.Hour {
		t.Errorf("a past date: ttl %v, want 1h", got)
	}
}
