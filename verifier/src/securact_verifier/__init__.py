"""Securact's offline verifier of evidence bundles (no Django, no network).

`merkle` (RFC 9162 proofs) and `note` (C2SP signed notes, checkpoints) are pure modules the
service imports too; `securact-verify` checks a whole bundle.
"""

__version__ = "0.1.0"
