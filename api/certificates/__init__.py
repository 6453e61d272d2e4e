"""Certificates of an award: the PDF with its QR code, the public verification of a code,
and the public register of results (issue 22)."""
