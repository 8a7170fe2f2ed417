""".doc and .rtf through LibreOffice: printed list labels, the sandbox, the
timeout that kills the whole process tree, one conversion at a time, and a
missing LibreOffice as one line saying how to install it.

The conversion machinery is tested with a stand-in ``soffice`` script
(``REGISTRY_SOFFICE``); the real conversions are in tests/test_office_docx.py.
"""

from __future__ import annotations

import os
import re
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pipeline.errors import CorruptFile, MissingDependency
from pipeline.readers import read_file
from pipeline.readers.legacy import LegacyReader, network_isolation, soffice
from pipeline.readers.rtf_lists import literal_labels
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import fixture_path, formats  # noqa: F401 - session fixture

# --- RTF labels as printed ------------------------------------------------------

WORD_RTF = (rb"{\rtf1\ansi\ansicpg1251{\stylesheet{\s1\ls2\ilvl0 List Number;}}"
            rb"{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc58{\leveltext\'02\'00);}}\listid7}}"
            rb"{\*\listoverridetable{\listoverride\listid7\listoverridecount0\ls2}}"
            rb"\pard\plain{\listtext\pard\plain\ltrpar \s1 \rtlch\fcs1 \af0 \ltrch\fcs0 \f0\insrsid1 \'e0)\tab}"
            rb"\ls2\ilvl0\b\ls2 \u1087\'3f\u1088\'3f\par"
            rb"\pard{\pntext\f2 \'b7\tab}{\*\pn\pnlvlblt\pnf2{\pntxtb\'b7}}\li720 \'f2\'e5\'ea\'f1\'f2\par}")


def test_rtf_list_labels_become_text_and_paragraphs_leave_their_lists():
    out = literal_labels(WORD_RTF)
    assert rb"{\'e0)\tab}" in out and rb"{\'b7\tab}" in out  # the printed labels, formatting dropped
    assert b"\\listtext" not in out and b"\\pntext" not in out and b"{\\*\\pn" not in out
    body = out[out.index(b"\\pard"):]
    assert not re.search(rb"\\(?:ls|ilvl)\d", body)  # no paragraph is numbered again
    assert rb"\b{}\u1087" in out  # a removed word leaves the next text apart from "\b"
    assert b"\\listoverride\\listid7\\listoverridecount0\\ls2}" in out  # the list tables are untouched
    assert b"{\\s1{}{}List Number;}" in out  # a style no longer numbers its paragraphs


def test_rtf_without_printed_labels_is_unchanged():
    plain = b"{\\rtf1\\ansi \\pard \\ls1 text\\par}"
    assert literal_labels(plain) is plain


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (scripts/system-deps.sh installs it)")
@pytest.mark.parametrize("short", ["sakhalin", "dagestan", "ossetia_2023"])
@pytest.mark.parametrize("ext", ["doc", "rtf"])
def test_libreoffice_files_print_the_labels_of_the_text(short, ext, formats):  # noqa: F811 - the session fixture
    """«а) б) в)», «- », «1.1.» as in the txt, though LibreOffice's RTF list tables
    say "decimal" for Word's Russian letters."""
    stem = ORDERS[short].removesuffix(".txt")
    path = fixture_path("lo", stem, ext)
    if not path.exists():
        pytest.skip("LibreOffice fixtures not built")
    rx = re.compile(r"^(\d{1,2}\.\d{1,2}\.|\d{1,2}\.|\d{1,2}\)|[а-я]\)|- )\s?")

    def labels(text: str) -> list[str]:
        return [m.group(1).strip() for ln in text.split("\n") if (m := rx.match(ln.replace("**", "").strip()))]

    want = labels((CORPUS / ORDERS[short]).read_text(encoding="utf-8"))
    src = read_file(path)
    assert src.reader == "libreoffice+docx"
    assert labels(src.text) == want
    codes = {w.code for w in src.warnings}
    assert "converted" in codes and (ext != "rtf" or "rtf_list_labels" in codes)


# --- the conversion: sandbox, timeout, lock, missing LibreOffice --------------------

FAKE = textwrap.dedent("""\
    #!/bin/sh
    # a stand-in soffice: records how it was started, then behaves as FAKE_MODE says
    out=""
    for a in "$@"; do
      case "$prev" in --outdir) out="$a";; esac
      prev="$a"
    done
    echo "$@" > "$FAKE_LOG.args"
    cat /proc/net/dev > "$FAKE_LOG.net" 2>/dev/null
    case "$FAKE_MODE" in
      hang)
        sleep 300 &
        # the child's pid as the test sees it ($! is the sandbox's PID namespace view):
        # /proc/self is this shell in the host's /proc, its children file holds host pids
        read -r me rest < /proc/self/stat
        read -r kid more < "/proc/$me/task/$me/children"
        echo "$kid" > "$FAKE_LOG.child"
        wait ;;
      slow)
        echo "start $(date +%s.%N)" >> "$FAKE_LOG.times"
        sleep 0.6
        cp "$FAKE_DOCX" "$out/input.docx"
        echo "end $(date +%s.%N)" >> "$FAKE_LOG.times" ;;
      fail)
        exit 0 ;;
    esac
    """)


@pytest.fixture()
def fake_soffice(tmp_path, monkeypatch):
    exe = tmp_path / "soffice"
    exe.write_text(FAKE)
    exe.chmod(0o755)
    log = tmp_path / "log"
    docx_out = tmp_path / "converted.docx"
    from tests.test_readers_docx import make_docx, p

    docx_out.write_bytes(make_docx(p("ПРИКАЗ")))
    monkeypatch.setenv("REGISTRY_SOFFICE", str(exe))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_DOCX", str(docx_out))
    return log


def _doc(tmp_path: Path, name: str = "order.doc") -> Path:
    f = tmp_path / name
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return f


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def test_timeout_kills_the_whole_process_tree(fake_soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "hang")
    monkeypatch.setenv("REGISTRY_SOFFICE_TIMEOUT", "2")
    t = time.perf_counter()
    with pytest.raises(CorruptFile) as e:
        read_file(_doc(tmp_path))
    assert time.perf_counter() - t < 30
    assert "within 2 s" in e.value.one_line() and "\n" not in e.value.one_line()
    child = int(Path(f"{fake_soffice}.child").read_text())
    deadline = time.time() + 5
    while _alive(child) and time.time() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the converter's child process outlived the timeout"


def test_conversion_is_sandboxed(fake_soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "slow")
    src = read_file(_doc(tmp_path))
    assert src.reader == "libreoffice+docx" and [ln.text for ln in src.lines] == ["ПРИКАЗ"]
    args = Path(f"{fake_soffice}.args").read_text()
    profile = re.search(r"-env:UserInstallation=file://(\S+)", args).group(1)
    assert "registry-lo-profile-" in profile and not profile.startswith(os.path.expanduser("~"))
    assert (Path(profile) / "user" / "registrymodifications.xcu").read_text().count("DisableMacrosExecution") == 1
    assert "--headless" in args and "--norestore" in args
    if network_isolation():
        # a network namespace of its own: nothing but a (down) loopback
        net = Path(f"{fake_soffice}.net").read_text()
        assert [ln.split(":")[0].strip() for ln in net.splitlines()[2:]] == ["lo"]


def test_one_conversion_at_a_time_per_worker(fake_soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "slow")
    files = [_doc(tmp_path, f"o{i}.doc") for i in range(3)]
    errors = []

    def run(f):
        try:
            LegacyReader().read(f, f.read_bytes())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    marks = [ln.split() for ln in Path(f"{fake_soffice}.times").read_text().splitlines()]
    assert [m[0] for m in marks] == ["start", "end"] * 3, "conversions overlapped"


def test_a_failed_conversion_is_one_line(fake_soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_MODE", "fail")
    with pytest.raises(CorruptFile) as e:
        read_file(_doc(tmp_path))
    assert "order.doc" in e.value.one_line() and "LibreOffice could not convert" in e.value.one_line()


@pytest.mark.parametrize("name", ["order.doc", "order.rtf"])
def test_missing_libreoffice_says_how_to_install_it(monkeypatch, tmp_path, name):
    monkeypatch.setenv("REGISTRY_SOFFICE", "/nonexistent/soffice")
    f = _doc(tmp_path, name) if name.endswith(".doc") else tmp_path / name
    if name.endswith(".rtf"):
        f.write_bytes(b"{\\rtf1\\ansi \\'cf\\'d0\\'c8\\'ca\\'c0\\'c7\\par}")
    with pytest.raises(MissingDependency) as e:
        read_file(f)
    line = e.value.one_line()
    assert name in line and "apt-get install libreoffice-writer-nogui" in line and "\n" not in line
