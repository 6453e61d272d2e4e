"""Pages for people: reviewers, proposers, nominees, auditors — server-rendered with
Jinja2, htmx (vendored) for partial updates, Vietnamese by default and English on a
switch. They act through the same handlers as the JSON API."""
