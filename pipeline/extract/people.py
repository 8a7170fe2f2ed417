"""Working group (состав рабочей группы) and tasks with deadlines.

Members are lines "Фамилия И.О. – должность (роль);" (or "И.О. Фамилия", or a
full name) printed as a run of at least three, or under a heading that names a
состав. The role comes from the bracketed note: руководитель / председатель →
leader, заместитель руководителя / председателя → deputy, секретарь →
secretary.

Tasks are the instructions of the order's operative part (after
"приказываю", before the signature) other than approving and control
clauses; a deadline ("в срок до 1 сентября 2023 г.", "до 01.12.2023", "не
позднее …") becomes an ISO date, and a deadline earlier than the order's own
date is flagged.
"""

from __future__ import annotations

import re

from pipeline.context import Context
from pipeline.models import Clause, Member, Task
from pipeline.nlp import get_morph, normal_forms
from pipeline.patterns import find_dates

_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIALS = r"[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
_DASH = r"\s*[—–-]\s*"
_MEMBER = re.compile(
    rf"^(?P<name>{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME}|{_SURNAME}\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|ич|кызы|оглы))"
    rf"{_DASH}(?P<position>.+?)[;.,]?$"
)
_ROLE = re.compile(r"\((?P<role>[^()]*(?:руководител|председател|секретар)[^()]*)\)")


# "Руководитель рабочей группы: Сидорова Анна Петровна – …", "Члены рабочей группы:"
_ROLE_PREFIX = re.compile(
    r"^(?P<role>(?:заместител[ья]\s+)?(?:руководител[ья]|председател[ья])|секретар[ья]|член(?:ы)?)"
    r"(?:\s+(?:межведомственной\s+)?(?:рабочей\s+группы|комиссии|совета|группы))?\s*:\s*", re.I)


def _prefix_role(word: str) -> str:
    w = word.lower()
    if w.startswith("заместител"):
        return "deputy"
    if w.startswith("секретар"):
        return "secretary"
    if w.startswith(("руководител", "председател")):
        return "leader"
    return "member"


def role_heading(text: str) -> str | None:
    """The role a line names alone ('Члены рабочей группы:', 'Председатель
    комиссии:'), for the members printed under it; None for anything else."""
    m = _ROLE_PREFIX.match(text.strip())
    return _prefix_role(m.group("role")) if m and not text.strip()[m.end():].strip() else None


def parse_member(text: str) -> tuple[str, str, str] | None:
    """'Авакова Э.Л. – заместитель председателя … (руководитель рабочей группы);'
    → ('Авакова Э.Л.', 'заместитель председателя …', 'leader'); the role may
    also open the line ('Руководитель рабочей группы: Сидорова Анна Петровна –
    первый заместитель министра;')."""
    text = text.strip()
    role = "member"
    pm = _ROLE_PREFIX.match(text)
    if pm:
        role, text = _prefix_role(pm.group("role")), text[pm.end():]
    m = _MEMBER.match(text)
    if not m:
        return None
    position = m.group("position").strip()
    r = _ROLE.search(position) or _ROLE_TAIL.search(position)
    if r:
        note = r.group("role").lower()
        if "заместител" in note:
            role = "deputy"
        elif "секретар" in note:
            role = "secretary"
        else:
            role = "leader"
        position = (position[: r.start()] + position[r.end():]).strip(" ;,")
    return re.sub(r"\s+", " ", m.group("name")), position, role


# "… заместитель министра – руководитель рабочей группы", "…, секретарь комиссии"
_ROLE_TAIL = re.compile(
    r"\s*[,–—-]\s*(?P<role>(?:заместитель\s+)?(?:руководител\w*|председател\w*)|секретар\w*)"
    r"\s+(?:межведомственной\s+)?(?:рабочей\s+группы|комиссии|совета|группы)\s*[;.,]?\s*$", re.I)


def _is_composition_heading(c: Clause | None) -> bool:
    """'Состав рабочей группы', or a clause that introduces one: '… в следующем составе:'."""
    if c is None:
        return False
    if re.search(r"\bсостав(?:е)?\s*:\s*$", c.text.strip(), re.I):
        return True
    return "состав" in {f for w in c.text.split()[:3] for f in normal_forms(w.strip("*«»:."))}


def extract_working_group(ctx: Context) -> None:
    groups: list[list[tuple[Clause, tuple[str, str, str]]]] = []
    run: list[tuple[Clause, tuple[str, str, str]]] = []
    prev_parent = object()
    role_of_heading: dict[str, str] = {}  # clause id of "Члены рабочей группы:" → its role
    for c in ctx.flat:
        parent = ctx.parents.get(c.id)
        heading = role_heading(c.text)
        if heading is not None and (not run or parent is prev_parent):
            role_of_heading[c.id] = heading  # a role line inside the list: the list goes on under it
            prev_parent = parent
            continue
        parsed = parse_member(c.text) if c.style in ("none", "bullet", "paren_number", "decimal") else None
        if parsed and parent is not None and parent.id in role_of_heading:
            if parsed[2] == "member":
                parsed = (parsed[0], parsed[1], role_of_heading[parent.id])
            parent = ctx.parents.get(parent.id)  # members under the role line belong to the list around it
        if parsed and (not run or parent is prev_parent):
            run.append((c, parsed))
            prev_parent = parent
            continue
        if run:
            groups.append(run)
        run = [(c, parsed)] if parsed else []
        prev_parent = parent
    if run:
        groups.append(run)
    for g in groups:
        parent = ctx.parents.get(g[0][0].id)
        if parent is not None and parent.id in role_of_heading:
            parent = ctx.parents.get(parent.id)
        if len(g) < 3 and not _is_composition_heading(parent):
            continue
        for c, (name, position, role) in g:
            ctx.doc.working_group.append(Member(name=name, position=position or None, role=role, raw=c.text, span=c.span))
    if not ctx.doc.working_group:
        _members_in_tables(ctx)
    leaders = [m for m in ctx.doc.working_group if m.role == "leader"]
    if ctx.doc.working_group and not leaders:
        ctx.warn("working_group_no_leader", "the working group lists no leader (руководитель / председатель)", ctx.doc.working_group[0].span, "info")


def _members_in_tables(ctx: Context) -> None:
    """A состав printed as a table, a member a row ('Кузнецова Мария Ивановна |
    заместитель министра – руководитель рабочей группы'), a role row alone
    ('Члены рабочей группы:') for the rows under it: taken when the table
    stands under a состав heading or lists at least three members."""
    lo, hi = ctx.sl.first_line, ctx.sl.last_line
    for table in ctx.src.tables:
        if not lo <= table.first_line <= hi:
            continue
        found: list[Member] = []
        role_here: str | None = None
        for row in table.rows:
            cells = [c for c in row if c.text.strip() and not re.fullmatch(r"\s*\d{1,3}[.)]?\s*", c.text)]
            unique = list(dict.fromkeys(c.text.strip() for c in cells))  # a merged cell counts once
            heading = role_heading(unique[0]) if len(unique) == 1 else None
            if heading:
                role_here = heading
                continue
            if len(unique) < 2:
                continue
            parsed = parse_member(f"{unique[0]} – {' '.join(unique[1:])}")
            if parsed is None:
                continue
            name, position, role = parsed
            if role == "member" and role_here:
                role = role_here
            span = ctx.src.span(min(c.start for c in cells), max(c.end for c in cells))
            found.append(Member(name=name, position=position or None, role=role, raw=" | ".join(unique), span=span))
        if found and (len(found) >= 3 or _composition_above(ctx, table.first_line)):
            ctx.doc.working_group.extend(found)
            return


def _composition_above(ctx: Context, line_no: int) -> bool:
    """A 'Состав …' heading on the lines just above a table."""
    for ln in ctx.src.lines[max(0, line_no - 4) : line_no - 1]:
        if re.match(r"^\W*состав\b", ln.clean, re.I):
            return True
    return False


# ---------------------------------------------------------------------- tasks

_APPROVE = {"утвердить", "утверждать"}
_CONTROL_WORDS = {"контроль"}
_DEADLINE_CUE = re.compile(r"(?:в\s+срок\s+)?(?:до|не\s+позднее|не\s+позже|в\s+течение)\s*$", re.I)


def _operative(ctx: Context) -> list[Clause]:
    """Clauses of the order itself: numbered top-level clauses (and their items)
    printed before the signature, or before the first appendix."""
    sig = set(ctx.header.signature_lines)
    limit = min(sig) if sig else None
    if limit is None and ctx.doc.appendices:
        spans = [a.span.line for a in ctx.doc.appendices if a.span]
        limit = min(spans) if spans else None
    if limit is None:
        return []
    return [c for c in ctx.doc.clauses if c.span.line < limit and c.style == "decimal"]


def _first_verb(text: str) -> set[str]:
    for w in re.findall(r"[А-Яа-яЁё]+", text)[:6]:
        forms = normal_forms(w)
        if any(f.endswith(("ть", "ти", "чь")) for f in forms) and w.lower().endswith(("ть", "ти", "чь")):
            return set(forms)
    return set()


def _has_infinitive(text: str) -> bool:
    for w in re.findall(r"[А-Яа-яЁё]+", text)[:15]:
        if w.lower().endswith(("ть", "ти", "чь")) and any(p.tag.POS == "INFN" for p in get_morph().parse(w)):
            return True
    return False


def extract_tasks(ctx: Context) -> None:
    order_date = ctx.doc.meta.date
    for top in _operative(ctx):
        lemmas = {f for w in re.findall(r"[А-Яа-яЁё]+", top.text)[:3] for f in normal_forms(w)}
        if _first_verb(top.text) & _APPROVE and not top.children:
            continue
        if lemmas & _CONTROL_WORDS or not any(_has_infinitive(x.text) for x in [top, *top.children]):
            # control clauses and statements ("приказ вступает в силу …") are not instructions
            continue
        items = top.children if top.children and top.text.rstrip().endswith(":") else [top]
        assignee = top.text.rstrip(" :") if items is not top.children or not top.children else top.text.rstrip(" :")
        for c in items:
            deadline, raw, span = _deadline(ctx, c)
            task = Task(
                clause=" ".join(x for x in [top.number, c.number if c is not top else None] if x),
                text=c.text,
                assignee=assignee if c is not top else None,
                deadline=deadline,
                deadline_raw=raw,
                span=c.span,
            )
            ctx.doc.tasks.append(task)
            if deadline and order_date and deadline < order_date:
                ctx.warn("deadline_before_order",
                         f"task {task.clause}: deadline {deadline} is earlier than the order's date {order_date}",
                         span or c.span)


def _deadline(ctx: Context, c: Clause):
    for d in find_dates(c.text):
        if d.status != "ok":
            continue
        if _DEADLINE_CUE.search(c.text[: d.start]):
            src = ctx.src.text[c.span.start : c.span.end]
            k = src.find(d.raw)
            span = ctx.span(c.span.start + k, c.span.start + k + len(d.raw)) if k >= 0 else c.span
            return d.value, d.raw, span
    return None, None, None


def extract(ctx: Context) -> None:
    extract_working_group(ctx)
    if ctx.doc.kind in ("order", "draft"):
        extract_tasks(ctx)
