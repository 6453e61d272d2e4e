"""The read side shared by the JSON routes and the pages: who may see what (``access``),
and one query function per question (a nomination's dossier and history, the inbox,
tracking, the audit trail, the year's figures). Each takes a read-model connection and
returns what both the API and the pages show; neither asks the read models otherwise."""
