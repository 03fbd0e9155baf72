"""Reference client of Securact's EDI API (``securact-edi``); docs/edi-api.md of the
Securact repository is the contract it follows."""
