"""Pages for people: reviewers, proposers, nominees, auditors, the public — server-rendered
with Jinja2, htmx (vendored) for partial updates, Vietnamese by default and English on a
switch. They give the same commands and read through the same read side as the JSON API."""
