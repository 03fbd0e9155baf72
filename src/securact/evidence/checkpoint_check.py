"""Check the signed checkpoints against themselves and against the journal's current tree
(docs/evidence-log.md §2; ``securact check_journal`` runs it after the tree check).

:func:`verify_checkpoints` checks, for every stored checkpoint in size order: its signed note
verifies with the journal key's certificate, and states the size and root stored beside it;
its RFC 3161 answer is granted and timestamps SHA-256 of the note; it follows the checkpoint
before it, and its consistency proof from that one verifies (RFC 9162). Then the current
tree must still have each checkpoint's root: since the proofs chain every signed root to the
latest, the largest checkpoint within the tree is compared first, and when it differs a
binary search over the checkpoints finds the first whose root the tree lost.

That finds an entry rewritten with its leaf, tiles and head to match — which no check
inside the database can see. The rewritten leaf lies between the last checkpoint the tree
still matches and the first it does not; the subtree hashes the verified consistency proofs
authenticate narrow that range down to one of their subtrees: it is named to the entry when
a single leaf remains, else as the range of entries where the first change lies (nothing
signed says more: the more frequent the checkpoints, the narrower).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import gettext as _

from securact.evidence import journal_signer, tiles, tree
from securact.evidence.checkpoint_models import Checkpoint
from securact.evidence.errors import SealConfigurationError
from securact.evidence.models import JournalLeaf
from securact.evidence.timestamp_reply import response_imprint
from securact_verifier import merkle, note

Range = tuple[int, int]


@dataclass(frozen=True)
class CheckpointProblem:
    """What is wrong, in French. ``sequence``: the first entry found rewritten, if known."""

    tree_size: int | None
    # "key" | "signature" | "timestamp" | "chain" | "consistency" | "truncated" | "rewritten"
    kind: str
    message: str
    sequence: int | None = None


@dataclass(frozen=True)
class _Signed:
    """A checkpoint whose signature verified, and its proof from ``proof_from`` leaves
    when that proof verified (else no proof)."""

    size: int
    root: bytes
    proof_from: int = 0
    proof: tuple[bytes, ...] = ()


def verify_checkpoints() -> list[CheckpointProblem]:
    """Every problem of the stored checkpoints (see the module docstring); [] when none."""
    if not Checkpoint.objects.exists():
        return []
    try:
        public = journal_signer.journal_public_key()
    except SealConfigurationError as exc:
        return [CheckpointProblem(None, "key", exc.message)]
    problems: list[CheckpointProblem] = []
    signed: list[_Signed] = []
    before: Checkpoint | None = None
    rows = Checkpoint.objects.order_by("tree_size").iterator(chunk_size=200)
    for checkpoint in rows:
        last = signed[-1] if signed else None
        found = _checkpoint_problems(checkpoint, before, last, public)
        problems.extend(found)
        kinds = {p.kind for p in found}
        if "signature" not in kinds:
            root = note.parse_checkpoint(note.split_note(checkpoint.note)[0]).root
            if last is None or "consistency" in kinds:
                signed.append(_Signed(checkpoint.tree_size, root))
            else:
                proof = tuple(bytes.fromhex(h) for h in checkpoint.consistency)
                signed.append(_Signed(checkpoint.tree_size, root, last.size, proof))
        before = checkpoint
    problems.extend(_tree_problems(signed))
    return problems


def _checkpoint_problems(
    checkpoint: Checkpoint,
    before: Checkpoint | None,
    last_signed: _Signed | None,
    public: ec.EllipticCurvePublicKey,
) -> list[CheckpointProblem]:
    size = checkpoint.tree_size
    try:
        body = note.split_note(checkpoint.note)[0]
        stated = note.parse_checkpoint(body)
        note.verify_note(checkpoint.note, public, stated.origin)
    except note.NoteError as exc:
        return [
            _problem(
                size, "signature", _("sa signature ne se vérifie pas (%(why)s).") % {"why": exc}
            )
        ]
    problems = []
    if (stated.size, stated.root) != (size, bytes(checkpoint.root_hash)):
        problems.append(
            _problem(
                size,
                "signature",
                _(
                    "la taille ou la racine enregistrées ne sont pas "
                    "celles du point de contrôle signé."
                ),
            )
        )
    problems.extend(_timestamp_problems(checkpoint))
    expected_previous = before.pk if before is not None else None
    if checkpoint.previous_id != expected_previous:
        problems.append(
            _problem(size, "chain", _("il ne suit pas le point de contrôle qui le précède."))
        )
    if last_signed is not None:
        proof = [bytes.fromhex(h) for h in checkpoint.consistency]
        try:
            merkle.verify_consistency(last_signed.size, size, last_signed.root, stated.root, proof)
        except (merkle.ProofError, ValueError) as exc:
            problems.append(
                _problem(
                    size,
                    "consistency",
                    _(
                        "sa preuve de cohérence depuis le point de contrôle de taille %(old)d "
                        "ne se vérifie pas (%(why)s)."
                    )
                    % {"old": last_signed.size, "why": exc},
                )
            )
    return problems


def _timestamp_problems(checkpoint: Checkpoint) -> list[CheckpointProblem]:
    try:
        imprint = response_imprint(bytes(checkpoint.timestamp_response))
    except ValueError:
        imprint = None
    digest = hashlib.sha256(checkpoint.note.encode("utf-8")).digest()
    if (
        imprint is None
        or not imprint.granted
        or imprint.hash_algorithm != "sha256"
        or imprint.hashed_message != digest
    ):
        return [
            _problem(
                checkpoint.tree_size,
                "timestamp",
                _("son horodatage ne porte pas sur le point de contrôle signé."),
            )
        ]
    return []


def _problem(size: int, kind: str, what: str) -> CheckpointProblem:
    return CheckpointProblem(
        size,
        kind,
        _("Point de contrôle de taille %(size)d : %(what)s") % {"size": size, "what": what},
    )


# --- the current tree against the signed roots ----------------------------------------------


def _tree_problems(signed: list[_Signed]) -> list[CheckpointProblem]:
    if not signed:
        return []
    problems = []
    head = tree.current_head()
    within = [s for s in signed if s.size <= head.size]
    if len(within) < len(signed):
        beyond = signed[len(within)]
        problems.append(
            CheckpointProblem(
                beyond.size,
                "truncated",
                _(
                    "Le journal ne compte que %(head)d feuilles, moins que le point de contrôle "
                    "signé de taille %(size)d : des entrées ont disparu de l'arbre."
                )
                % {"head": head.size, "size": beyond.size},
            )
        )
    if not within or tree.root_at(within[-1].size) == within[-1].root:
        return problems
    low, high = 0, len(within) - 1  # within[high] is lost; find the first lost one
    while low < high:
        middle = (low + high) // 2
        if tree.root_at(within[middle].size) == within[middle].root:
            low = middle + 1
        else:
            high = middle
    good = within[low - 1].size if low > 0 else 0
    problems.append(_rewritten(good, within[low], signed))
    return problems


def _rewritten(good: int, lost: _Signed, signed: list[_Signed]) -> CheckpointProblem:
    """Name the first rewritten entry, between leaf ``good`` and the end of ``lost``."""
    first, end = _narrow(good, lost.size, signed)
    sequences = dict(
        JournalLeaf.objects.filter(index__in=[first, end - 1]).values_list("index", "sequence")
    )
    start_seq, end_seq = sequences.get(first), sequences.get(end - 1)
    values = {
        "size": lost.size,
        "seq": start_seq,
        "leaf": first,
        "end_seq": end_seq,
        "end_leaf": end - 1,
    }
    if end - first == 1:
        message = _(
            "Entrée n° %(seq)s (feuille n° %(leaf)d) réécrite : l'arbre actuel ne donne plus "
            "la racine signée du point de contrôle de taille %(size)d."
        )
    else:
        message = _(
            "Entrée réécrite parmi les entrées n° %(seq)s à %(end_seq)s (feuilles n° %(leaf)d "
            "à %(end_leaf)d ; la première qui peut différer est la n° %(seq)s) : l'arbre "
            "actuel ne donne plus la racine signée du point de contrôle de taille %(size)d."
        )
    return CheckpointProblem(lost.size, "rewritten", message % values, start_seq)


def _narrow(good: int, size: int, signed: list[_Signed]) -> Range:
    """The smallest range of leaves in [good, size) where the first rewritten leaf lies,
    from the subtree hashes the verified consistency proofs authenticate."""
    authenticated: dict[Range, bytes] = {}
    for checkpoint in signed:
        if checkpoint.proof:
            ranges = tiles.consistency_ranges(checkpoint.proof_from, checkpoint.size)
            authenticated.update(zip(ranges, checkpoint.proof, strict=True))
    wanted = {r: h for r, h in authenticated.items() if good <= r[0] and r[1] <= size}
    if not wanted:
        return good, size
    leaves = [
        bytes(h)
        for h in JournalLeaf.objects.filter(index__gte=good, index__lt=size)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
        .iterator(chunk_size=10_000)
    ]
    if len(leaves) != size - good:  # leaves missing: the tree check names them
        return good, size
    differing = [
        (start, end)
        for (start, end), expected in wanted.items()
        if merkle.root_from_leaf_hashes(leaves[start - good : end - good]) != expected
    ]
    if not differing:
        return good, size
    # Subtrees are nested or apart: the differing one that ends first, the smallest of those.
    return min(differing, key=lambda r: (r[1], -r[0]))
