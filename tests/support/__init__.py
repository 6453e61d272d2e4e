"""Helpers the tests share: imported from here, never from another test file or the bench."""
