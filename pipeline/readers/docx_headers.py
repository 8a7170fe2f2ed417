"""Which header Word prints on the first page, by Word's rules.

Headers are running matter: the reader keeps only the one on page 1, where
agencies put the letterhead, and puts it before the body. Word picks it from
the first section's ``w:sectPr``:

- with "different first page" (``w:titlePg`` on), page 1 shows the ``first``
  header, and nothing when the section has none (the ``default`` header with
  its page number starts on page 2);
- otherwise page 1 shows the ``default`` header (page 1 is odd, so even/odd
  headers do not change it).

The first section has no previous one to inherit a missing header from.
"""

from __future__ import annotations

from pathlib import Path
from zipfile import ZipFile

from pipeline.readers.docx_package import parse_part, read_part
from pipeline.readers.numbering import q

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_HEADER = R_NS + "/header"


def on(el) -> bool:
    """A WordprocessingML on/off property: present and not switched off."""
    return el is not None and el.get(q("val"), "true").lower() not in ("0", "false", "off")


def first_section(body):
    """The ``w:sectPr`` of the section page 1 belongs to: the first one in the
    body (a paragraph's sectPr ends its section; the body's own is the last)."""
    for el in body.iter(q("sectPr")):
        return el
    return None


def page_one_header_id(body) -> str | None:
    """The relationship id of the header printed on page 1, or None."""
    sect = first_section(body) if body is not None else None
    if sect is None:
        return None
    refs = {h.get(q("type"), "default"): h.get(f"{{{R_NS}}}id") for h in sect.findall(q("headerReference"))}
    if on(sect.find(q("titlePg"))):
        return refs.get("first")
    return refs.get("default")


def part_target(rels_root, rid: str, base: str = "word/") -> str | None:
    """The package part a relationship points at (``word/header2.xml``)."""
    for rel in rels_root:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                return None
            if target.startswith("/"):
                return target.lstrip("/")
            parts = (base + target).split("/")
            out: list[str] = []
            for p in parts:
                if p == "..":
                    if out:
                        out.pop()
                elif p and p != ".":
                    out.append(p)
            return "/".join(out)
    return None


def page_one_header(zf: ZipFile, root, doc_name: str, path: Path):
    """The header part Word prints on page 1, parsed; or None."""
    rid = page_one_header_id(root.find(q("body")))
    if not rid:
        return None
    folder, _, name = doc_name.rpartition("/")
    rels = read_part(zf, f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels", path)
    if not rels:
        return None
    target = part_target(parse_part(rels, path, "document.xml.rels"), rid, base=f"{folder}/" if folder else "")
    data = read_part(zf, target, path) if target else None
    return parse_part(data, path, target) if data else None
