"""HTTP API: reviewers act on tasks, applicants track nominations, auditors read history."""
