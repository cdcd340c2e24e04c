package connector

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// BenchmarkTokenCache_Hit is the host API's hot path: a cached token for one
// of 10,000 accounts, read from many goroutines.
func BenchmarkTokenCache_Hit(b *testing.B) {
	const accounts = 10000
	c := NewTokenCache(accounts)
	ctx := context.Background()
	tok := linkhub.Token{AccessToken: secret.New("tok"), Expiry: time.Now().Add(time.Hour), BaseURL: "https://x"}
	fetch := func(context.Context) (linkhub.Token, error) { return tok, nil }
	keys := make([]TokenKey, accounts)
	for i := range keys {
		keys[i] = TokenKey{AccountID: "acct-" + strconv.Itoa(i), Version: 1}
		if _, err := c.Get(ctx, keys[i], fetch); err != nil {
			b.Fatal(err)
		}
	}
	miss := func(context.Context) (linkhub.Token, error) {
		b.Error("fetch called on a warm cache")
		return tok, nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := c.Get(ctx, keys[i%accounts], miss); err != nil {
				b.Error(err)
			}
			i += 7919 // a prime stride spreads the reads over all keys
		}
	})
}
