package letts

import "time"

// SetClockForTest gives the external tests libletts' test-only schedule
// clock, which the package does not export (see Schedule.setClock).
func (s *Schedule) SetClockForTest(now func() time.Time) error { return s.setClock(now) }
