"""Legacy word-processor formats (.doc, .rtf, .odt): converted to DOCX by
LibreOffice headless, then read by the DOCX reader with everything it does
(Word numbering, layout tables, text boxes, the page-1 header).

The conversion is sandboxed:

- a private LibreOffice profile per worker process (``-env:UserInstallation``
  in a temporary folder, made on first use, removed at exit, thrown away after
  a failed run), with macros off, links never updated and the network proxy
  pointed nowhere;
- no network: the process runs in a new network namespace (``unshare -rn``)
  where the system allows it (else only the proxies point nowhere);
- a memory limit: ``RLIMIT_AS`` of :data:`MEMORY_MB` (``prlimit``; inherited
  by every process LibreOffice starts), ``REGISTRY_SOFFICE_MEMORY_MB`` overrides;
- one conversion at a time per worker (a lock), each with a timeout; LibreOffice
  starts in its own session *and* its own PID namespace (``unshare --pid
  --fork --kill-child``): on timeout the whole process group is killed, and
  when the namespace's first process dies the kernel kills every process in
  it, so ``oosplash`` → ``soffice.bin`` cannot outlive the conversion even if
  one of them leaves the group; the whole chain gets SIGKILL when the worker
  that started it dies (``setpriv --pdeathsig``), so a worker killed by its
  time or memory budget leaves no LibreOffice behind. Each wrapper is used
  when the system has it; without ``unshare`` the process group kill remains;
- RTF list labels are taken as printed (:mod:`pipeline.readers.rtf_lists`).

LibreOffice is optional. Without it these formats fail with one line saying
how to install it; nothing else needs it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from functools import lru_cache
from multiprocessing.util import Finalize
from pathlib import Path

from pipeline.document import SourceText
from pipeline.errors import CorruptFile, MissingDependency
from pipeline.models import ExtractionWarning
from pipeline.readers.base import Reader
from pipeline.readers.docx import DocxReader
from pipeline.readers.rtf_lists import literal_labels

INSTALL_HINT = "install LibreOffice: sudo apt-get install libreoffice-writer-nogui (or save the file as DOCX)"
TIMEOUT = 180  # seconds per conversion; REGISTRY_SOFFICE_TIMEOUT overrides
MEMORY_MB = 2048  # address space of LibreOffice and its children; REGISTRY_SOFFICE_MEMORY_MB overrides

# What a fresh profile is told before LibreOffice first starts in it.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
_NOWHERE = "http://127.0.0.1:9"

_LOCK = threading.Lock()  # one conversion at a time in this worker
_PROFILE: dict[int, Path] = {}  # pid → this worker's profile (a forked worker makes its own)


def soffice() -> str | None:
    if "REGISTRY_SOFFICE" in os.environ:
        return shutil.which(os.environ["REGISTRY_SOFFICE"])
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout() -> int:
    try:
        return max(1, int(os.environ.get("REGISTRY_SOFFICE_TIMEOUT", TIMEOUT)))
    except ValueError:
        return TIMEOUT


def memory_mb() -> int:
    try:
        return max(256, int(os.environ.get("REGISTRY_SOFFICE_MEMORY_MB", MEMORY_MB)))
    except ValueError:
        return MEMORY_MB


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run([*cmd, "true"], capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@lru_cache(maxsize=1)
def network_isolation() -> tuple[str, ...]:
    """The command prefix that cuts the network off and gives the conversion a
    PID namespace of its own (all of it dies with its first process), or as
    much of that as the system allows."""
    exe = shutil.which("unshare")
    if exe is None:
        return ()
    for cmd in ([exe, "-rn", "--pid", "--fork", "--kill-child"], [exe, "-rn"], [exe, "--pid", "--fork", "--kill-child"]):
        if _works(cmd):
            return tuple(cmd)
    return ()


@lru_cache(maxsize=1)
def _dies_with_parent() -> tuple[str, ...]:
    exe = shutil.which("setpriv")
    return (exe, "--pdeathsig", "KILL") if exe and _works([exe, "--pdeathsig", "KILL"]) else ()


def sandbox(limit_mb: int) -> tuple[str, ...]:
    """The wrappers a conversion runs under: die with the worker, memory cap, namespaces."""
    exe = shutil.which("prlimit")
    cap = (exe, f"--as={limit_mb * 1024 * 1024}", "--") if exe else ()
    return (*_dies_with_parent(), *cap, *network_isolation())


def _profile() -> Path:
    pid = os.getpid()
    if pid not in _PROFILE or not _PROFILE[pid].exists():
        root = Path(tempfile.mkdtemp(prefix="registry-lo-profile-"))
        (root / "user").mkdir()
        (root / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
        _PROFILE[pid] = root
    return _PROFILE[pid]


def _drop_profile() -> None:
    root = _PROFILE.pop(os.getpid(), None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)


atexit.register(_drop_profile)
# pool workers leave through multiprocessing's exit path, which skips atexit but runs these
Finalize(None, _drop_profile, exitpriority=10)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def convert_to_docx(path: Path, data: bytes, suffix: str) -> bytes:
    """``data`` (a .doc, .rtf or .odt) as DOCX bytes, converted by LibreOffice in its sandbox."""
    exe = soffice()
    if exe is None:
        raise MissingDependency(path, f"{suffix or 'this'} files need LibreOffice to convert them, and it is not installed",
                                hint=INSTALL_HINT)
    limit = timeout()
    with _LOCK, tempfile.TemporaryDirectory(prefix="registry-lo-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        env = dict(os.environ, HOME=tmp, SAL_USE_VCLPLUGIN="svp", http_proxy=_NOWHERE, https_proxy=_NOWHERE,
                   ftp_proxy=_NOWHERE, all_proxy=_NOWHERE, no_proxy="")
        cmd = [*sandbox(memory_mb()), exe, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--invisible",
               "--norestore", "--nolockcheck", "--nodefault", "--nologo",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=tmp, start_new_session=True)
        try:
            proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            _drop_profile()  # a killed LibreOffice may leave its profile locked or half-written
            raise CorruptFile(path, f"LibreOffice did not convert the file within {limit} s",
                              hint="open it in a word processor and save as DOCX") from None
        finally:
            _kill_group(proc)  # nothing of this run outlives it
        out = Path(tmp) / "input.docx"
        if proc.returncode != 0 or not out.exists():
            raise CorruptFile(path, f"LibreOffice could not convert the file (damaged, not a document, or too large "
                                    f"for its {memory_mb():,} MB memory limit)",
                              hint="open it in a word processor and save as DOCX")
        return out.read_bytes()


def to_docx(path: Path, data: bytes) -> tuple[bytes, list[ExtractionWarning]]:
    """A .doc / .rtf / .odt as DOCX bytes, the way the reader converts it (RTF
    labels as printed, then LibreOffice), with the notes to report."""
    suffix = _suffix(path, data)
    warnings = [ExtractionWarning(code="converted", severity="info",
                                  message=f"{suffix} converted to DOCX by LibreOffice before reading")]
    if suffix == ".rtf":
        printed = literal_labels(data)
        if printed != data:
            warnings.append(ExtractionWarning(code="rtf_list_labels", severity="info",
                                              message="list labels read as the RTF printed them (\\listtext)"))
        data = printed
    return convert_to_docx(path, data, suffix), warnings


class LegacyReader(Reader):
    name = "libreoffice+docx"
    format = "docx"
    extensions = (".doc", ".rtf", ".odt")

    def read(self, path: Path, data: bytes) -> SourceText:
        docx_bytes, warnings = to_docx(path, data)
        result = DocxReader().read(path, docx_bytes)
        result.reader = self.name
        result.warnings = warnings + result.warnings
        return result


def _suffix(path: Path, data: bytes) -> str:
    """The input's real kind from its content (a renamed file keeps its format)."""
    if data.startswith(b"{\\rtf"):
        return ".rtf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ".doc"
    if data.startswith(b"PK"):
        return ".odt"
    return path.suffix.lower() or ".doc"
