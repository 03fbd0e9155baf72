"""F4.6: the archive ZIP lists every entry's SHA-256; a changed entry is detected."""

import hashlib
import subprocess
import zipfile
from datetime import UTC, datetime

from securact.significations.archive import MANIFEST, build_archive, verify_archive


def _entries(tmp_path):
    files = []
    for name, content in [
        ("9991_R_20260105_100000.pdf", b"%PDF-signed"),
        ("9991_R_20260105_100000.pdf.p7s", b"\x30\x82cms"),
        ("attestation_depot.xml", b"<attestation/>"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        files.append((name, path))
    return files


def test_manifest_matches_and_sha256sum_agrees(tmp_path):
    target = tmp_path / "BANQUE_TEST__R_20260105_100001.zip"
    build_archive(target, _entries(tmp_path), datetime(2026, 1, 5, 9, 0, 1, tzinfo=UTC))
    assert verify_archive(target) == []
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(target) as archive:
        archive.extractall(out)
        manifest = archive.read(MANIFEST).decode()
    assert hashlib.sha256(b"%PDF-signed").hexdigest() in manifest
    checked = subprocess.run(["sha256sum", "-c", MANIFEST], cwd=out, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_rebuilding_gives_the_same_bytes(tmp_path):
    moment = datetime(2026, 1, 5, 9, 0, 1, tzinfo=UTC)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    build_archive(first, _entries(tmp_path), moment)
    build_archive(second, _entries(tmp_path), moment)
    assert first.read_bytes() == second.read_bytes()


def test_a_changed_entry_is_reported(tmp_path):
    target = tmp_path / "x.zip"
    entries = _entries(tmp_path)
    build_archive(target, entries, datetime(2026, 1, 5, 9, 0, 1, tzinfo=UTC))
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(tampered, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "attestation_depot.xml":
                data = b"<attestation/ >"
            copy.writestr(info, data)
    assert verify_archive(tampered) == ["attestation_depot.xml"]
