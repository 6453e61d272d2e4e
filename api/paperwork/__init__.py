"""Paperwork generated from the record, as PDF ready for signature: the decision with its
annex, the proposal (tờ trình) with its nominee list, a council's minutes
(``documents`` says what each says, ``render`` makes the PDF)."""
