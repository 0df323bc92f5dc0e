package eventsource

import (
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

func TestMain(m *testing.M) { testutil.VerifyNoLeaks(m) }
