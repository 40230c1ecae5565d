"""What ``validate`` checks: one function per rule, one report of problems."""
