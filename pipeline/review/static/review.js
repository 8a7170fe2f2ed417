// Review workspace: the document page's behaviour. No framework, no network but
// this server. Document text is only ever put into the page as text
// (textContent), never as HTML: the content of an order is untrusted.
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const csrf = () => $('meta[name="csrf-token"]').content;

  // -- reviewer name, kept in this browser
  const who = $("#reviewer");
  if (who) {
    const saved = localStorage.getItem("review.reviewer");
    if (saved) who.value = saved;
    who.addEventListener("change", () => localStorage.setItem("review.reviewer", who.value.trim()));
  }
  const reviewer = () => (who ? who.value.trim() : "");

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") e.className = v; else e.setAttribute(k, v === true ? "" : v);
    }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function flash(msg, bad) {
    const f = $("#flash");
    if (!f) return;
    f.textContent = msg;
    f.className = bad ? "bad" : "ok";
    f.hidden = false;
    clearTimeout(flash.t);
    flash.t = setTimeout(() => { f.hidden = true; }, 4000);
  }

  async function post(url, body) {
    const r = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(Object.assign({ reviewer: reviewer() }, body)),
    });
    let data = {};
    try { data = await r.json(); } catch (e) { data = { error: "Сервер ответил не JSON (" + r.status + ")" }; }
    if (!r.ok) throw new Error(data.error || ("Ошибка " + r.status));
    return data;
  }

  function reloadWith(msg) {
    sessionStorage.setItem("review.flash", msg);
    location.reload();
  }

  const dataNode = $("#review-data");
  if (!dataNode) return; // the queue page needs nothing more
  const D = JSON.parse(dataNode.textContent);
  const byPath = new Map(D.values.map((v) => [v.path, v]));
  const valueEls = $$(".val[data-path]");
  const lineEls = $$("#source-text .ln");
  let current = null;

  const saved = sessionStorage.getItem("review.flash");
  if (saved) { sessionStorage.removeItem("review.flash"); flash(saved); }

  // -- source highlighting
  function clearMarks() {
    for (const ln of $$("#source-text .ln.hl")) {
      ln.classList.remove("hl");
      const tx = $(".tx", ln);
      if (tx.dataset.orig !== undefined) { tx.textContent = tx.dataset.orig; delete tx.dataset.orig; }
    }
    const box = $("#bbox");
    if (box) box.hidden = true;
  }

  function markLine(ln, from, to) {
    const tx = $(".tx", ln);
    const text = tx.textContent;
    tx.dataset.orig = text;
    const a = Math.max(0, Math.min(text.length, from)), b = Math.max(a, Math.min(text.length, to));
    tx.textContent = "";
    tx.append(document.createTextNode(text.slice(0, a)), el("mark", {}, text.slice(a, b)),
      document.createTextNode(text.slice(b)));
  }

  function highlight(span) {
    clearMarks();
    if (!span) return;
    let first = null;
    for (let n = span.line; n <= (span.end_line || span.line); n++) {
      const ln = $("#L" + n);
      if (!ln) continue;
      ln.classList.add("hl");
      const s = +ln.dataset.start;
      markLine(ln, span.start - s, span.end - s);
      first = first || ln;
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "instant" });
    if (D.paged) showBox(span);
  }

  // -- page images (PDF, scans)
  let page = 1;
  function setPage(n) {
    if (!D.paged) return;
    n = Math.max(1, Math.min(D.pages.length, n));
    if (n !== page) { page = n; $("#page-img").src = "/doc/" + D.row + "/page/" + n; }
    $("#page-no").textContent = String(n);
  }
  function lineBox(n) {
    const ln = $("#L" + n);
    return ln && ln.dataset.bbox ? ln.dataset.bbox.split(",").map(Number) : null;
  }
  function showBox(span) {
    const p = span.page || (($("#L" + span.line) || {}).dataset || {}).page;
    if (!p) return;
    setPage(+p);
    let b = span.bbox;
    if (!b) { // union of the boxes of its lines on that page
      for (let n = span.line; n <= (span.end_line || span.line); n++) {
        const lb = lineBox(n);
        const ln = $("#L" + n);
        if (!lb || (ln && ln.dataset.page && +ln.dataset.page !== +p)) continue;
        b = b ? [Math.min(b[0], lb[0]), Math.min(b[1], lb[1]), Math.max(b[2], lb[2]), Math.max(b[3], lb[3])] : lb;
      }
    }
    const size = D.pages[+p - 1];
    const box = $("#bbox");
    if (!b || !size || !box) return;
    box.style.left = (100 * b[0] / size[0]) + "%";
    box.style.top = (100 * b[1] / size[1]) + "%";
    box.style.width = (100 * (b[2] - b[0]) / size[0]) + "%";
    box.style.height = (100 * (b[3] - b[1]) / size[1]) + "%";
    box.hidden = false;
    box.scrollIntoView({ block: "center", behavior: "instant" });
  }
  if (D.paged) {
    $("#page-prev").addEventListener("click", () => setPage(page - 1));
    $("#page-next").addEventListener("click", () => setPage(page + 1));
    $("#page-img").addEventListener("click", (ev) => {
      const img = ev.currentTarget, r = img.getBoundingClientRect(), size = D.pages[page - 1];
      const x = (ev.clientX - r.left) / r.width * size[0], y = (ev.clientY - r.top) / r.height * size[1];
      const hit = lineEls.find((ln) => +ln.dataset.page === page && ln.dataset.bbox && (() => {
        const b = ln.dataset.bbox.split(",").map(Number);
        return x >= b[0] - 2 && x <= b[2] + 2 && y >= b[1] - 2 && y <= b[3] + 2;
      })());
      if (hit) { hit.scrollIntoView({ block: "center" }); showLine(hit, ev); }
    });
  }

  // -- selecting a value
  function select(elm, scroll) {
    if (!elm) return;
    if (current) current.classList.remove("selected");
    current = elm;
    elm.classList.add("selected");
    elm.focus({ preventScroll: true });
    if (scroll !== false) elm.scrollIntoView({ block: "nearest" });
    const v = byPath.get(elm.dataset.path);
    highlight(v && v.span);
    history.replaceState(null, "", "#v=" + encodeURIComponent(elm.dataset.path));
  }
  for (const v of valueEls) {
    v.addEventListener("click", (ev) => {
      if (ev.target.closest("button")) return;
      ev.stopPropagation();
      select(v, false);
    });
  }
  function step(d) {
    const i = current ? valueEls.indexOf(current) : -1;
    select(valueEls[Math.max(0, Math.min(valueEls.length - 1, i + d))]);
  }

  // -- a source line: what was extracted from it
  const pop = $("#line-pop");
  function showLine(ln, ev) {
    const n = +ln.dataset.no;
    const hits = D.values.filter((v) => v.span && v.span.line <= n && n <= (v.span.end_line || v.span.line));
    pop.textContent = "";
    pop.append(el("div", { class: "pop-head" }, "Строка " + n + ": извлечено"));
    if (!hits.length) pop.append(el("div", { class: "empty" }, "Из этой строки ничего не извлечено."));
    for (const v of hits) {
      const b = el("button", { type: "button", class: "pop-item" }, v.label || v.path);
      b.title = v.path;
      b.addEventListener("click", () => { pop.hidden = true; select(valueEls.find((e) => e.dataset.path === v.path)); });
      pop.append(b);
    }
    pop.hidden = false;
    const x = Math.min(ev.clientX + 8, window.innerWidth - 360), y = Math.min(ev.clientY + 8, window.innerHeight - 200);
    pop.style.left = x + "px";
    pop.style.top = y + "px";
  }
  for (const ln of lineEls) {
    ln.addEventListener("click", (ev) => {
      if (String(window.getSelection() || "").length) return; // selecting text to add, not a click
      ev.stopPropagation();
      showLine(ln, ev);
    });
  }
  document.addEventListener("click", (ev) => { if (pop && !pop.contains(ev.target)) pop.hidden = true; });

  // -- actions
  async function act(action, elm) {
    elm = elm || current;
    if (!elm) { flash("Сначала выберите значение (щелчок или j/k)", true); return; }
    const path = elm.dataset.path;
    const v = byPath.get(path);
    if (v && v.added_by) { flash("Добавленное значение можно только отменить", true); return; }
    if (action === "edit") { openEditor(v); return; }
    try {
      await post("/api/doc/" + D.row + "/action", { action: action, path: path });
      reloadWith(action === "accept" ? "Принято" : "Отклонено");
    } catch (e) { flash(e.message, true); }
  }
  for (const b of $$("button[data-act]")) {
    b.addEventListener("click", (ev) => { const v = ev.target.closest(".val"); select(v, false); act(b.dataset.act, v); });
  }
  for (const b of $$("button[data-withdraw]")) {
    b.addEventListener("click", async () => {
      try { await post("/api/correction/" + b.dataset.withdraw + "/withdraw", { row: D.row }); reloadWith("Добавление отменено"); }
      catch (e) { flash(e.message, true); }
    });
  }
  for (const b of $$(".corr button[data-decide]")) {
    b.addEventListener("click", async () => {
      const id = b.closest(".corr").dataset.id;
      try { await post("/api/correction/" + id + "/" + b.dataset.decide, { row: D.row }); reloadWith("Решение сохранено"); }
      catch (e) { flash(e.message, true); }
    });
  }
  for (const c of $$(".corr[data-target]")) {
    c.addEventListener("click", (ev) => {
      if (ev.target.closest("button") || !c.dataset.target) return;
      const t = c.dataset.target, hit = valueEls.find((e) => e.dataset.path === t || t.startsWith(e.dataset.path + "."));
      if (hit) select(hit);
    });
  }
  const status = $("#doc-status");
  if (status) status.addEventListener("change", async () => {
    try { await post("/api/doc/" + D.row + "/status", { status: status.value }); flash("Статус: " + status.selectedOptions[0].textContent); }
    catch (e) { flash(e.message, true); }
  });

  // -- the edit / add dialog
  const dlg = $("#editor"), form = $("#editor-form"), box = $("#editor-fields"), err = $("#editor-error");
  let submit = null;

  function input(f) {
    const wrap = el("label", { class: "field f-" + f.editor });
    wrap.append(el("span", { class: "flabel" }, f.label + (f.required ? " *" : "")));
    let inp;
    const val = f.value === null || f.value === undefined ? "" : f.value;
    if (f.editor === "select") {
      inp = el("select", { name: f.name });
      if (!f.required) inp.append(el("option", { value: "" }, "—"));
      for (const [code, label] of f.options) {
        const o = el("option", { value: code }, label === code ? code : label + " (" + code + ")");
        if (String(val) === code) o.selected = true;
        inp.append(o);
      }
    } else if (f.editor === "multi") {
      inp = el("div", { class: "multi", "data-name": f.name });
      const have = new Set(Array.isArray(val) ? val : []);
      for (const [code, label] of f.options) {
        const l = el("label", { class: "chk" });
        const c = el("input", { type: "checkbox", value: code });
        c.checked = have.has(code);
        l.append(c, document.createTextNode(" " + label));
        inp.append(l);
      }
    } else if (f.editor === "textarea") {
      inp = el("textarea", { name: f.name, rows: 3 });
      inp.value = String(val);
    } else {
      inp = el("input", { name: f.name, type: f.editor === "date" ? "date" : f.editor === "number" ? "number" : "text" });
      if (f.editor === "number") inp.step = "any";
      inp.value = String(val);
    }
    wrap.append(inp);
    return wrap;
  }

  function collect(root) {
    const out = {};
    for (const s of $$("select[name], input[name], textarea[name]", root)) if (s.name !== "__comment") out[s.name] = s.value;
    for (const m of $$(".multi", root)) out[m.dataset.name] = $$("input:checked", m).map((c) => c.value);
    return out;
  }

  function openDialog(title, build, onSubmit) {
    $("#editor-title").textContent = title;
    box.textContent = "";
    form.elements.__comment.value = "";
    err.hidden = true;
    build(box);
    submit = onSubmit;
    dlg.showModal();
    const first = $("input, select, textarea", box);
    if (first) first.focus();
  }

  function openEditor(v) {
    if (!v || !v.fields.length) { flash("Это значение не редактируется", true); return; }
    const leaf = v.family === "meta";
    openDialog("Исправить: " + v.label, (root) => {
      for (const f of v.fields) root.append(input(f));
    }, async () => {
      const vals = collect(box);
      const body = { action: "edit", path: v.path, comment: form.elements.__comment.value,
        values: leaf ? { value: Object.values(vals)[0] } : vals };
      await post("/api/doc/" + D.row + "/action", body);
      reloadWith("Исправление сохранено");
    });
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!submit) return;
    try { await submit(); dlg.close(); }
    catch (e) { err.textContent = e.message; err.hidden = false; }
  });
  $("#editor-cancel").addEventListener("click", () => dlg.close());

  // -- adding a missing value from a selection in the source
  const addBtn = $("#add-btn");
  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const r = sel.getRangeAt(0);
    const off = (node, offset) => {
      const ln = (node.nodeType === 1 ? node : node.parentElement).closest(".ln");
      if (!ln || !ln.closest("#source-text")) return null;
      const tx = $(".tx", ln);
      if (!tx.contains(node)) return +(node === ln && offset === 0 ? ln.dataset.start : ln.dataset.end);
      let n = 0;
      const walk = document.createTreeWalker(tx, NodeFilter.SHOW_TEXT);
      while (walk.nextNode()) {
        if (walk.currentNode === node) return +ln.dataset.start + n + offset;
        n += walk.currentNode.length;
      }
      return +ln.dataset.start + offset;
    };
    const a = off(r.startContainer, r.startOffset), b = off(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) return null;
    return { start: a, end: b, text: String(sel).replace(/\s+/g, " ").trim() };
  }
  document.addEventListener("selectionchange", () => { if (addBtn) addBtn.disabled = !selectionSpan(); });
  if (addBtn) addBtn.addEventListener("click", () => {
    const sp = selectionSpan();
    if (!sp) { flash("Выделите текст в источнике", true); return; }
    let kind = "touchpoints";
    openDialog("Добавить из выделения", (root) => {
      const q = el("p", { class: "selected-text" }, "«" + sp.text + "»");
      const pick = el("div", { class: "kind-pick" });
      const fieldsBox = el("div");
      const draw = () => {
        fieldsBox.textContent = "";
        const spec = D.addable[kind];
        for (const f of spec.fields) {
          const g = Object.assign({}, f, { value: ["name", "text", "definition"].includes(f.name) ? sp.text : null });
          fieldsBox.append(input(g));
        }
        if (kind === "requirements") {
          const th = el("fieldset", { class: "threshold" });
          th.append(el("legend", {}, "Пороговое значение (если есть)"));
          for (const f of D.threshold_fields) th.append(input(Object.assign({}, f, { required: false })));
          fieldsBox.append(th);
        }
      };
      for (const k of Object.keys(D.addable)) {
        const l = el("label", { class: "chk" });
        const r = el("input", { type: "radio", name: "__kind", value: k });
        r.checked = k === kind;
        r.addEventListener("change", () => { kind = k; draw(); });
        l.append(r, document.createTextNode(" " + D.addable[k].title));
        pick.append(l);
      }
      root.append(q, pick, fieldsBox);
      draw();
    }, async () => {
      const fs = $(".threshold", box);
      const vals = collect(box);
      delete vals.__kind;
      if (fs) {
        const th = collect(fs);
        for (const k of Object.keys(th)) delete vals[k];
        vals.threshold = th;
      }
      await post("/api/doc/" + D.row + "/action", { action: "add", collection: kind, values: vals,
        span: { start: sp.start, end: sp.end }, text: sp.text, comment: form.elements.__comment.value });
      reloadWith("Добавлено");
    });
  });

  // -- keyboard
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") { pop.hidden = true; return; }
    const t = ev.target;
    if (dlg.open || $("#help").open || (t && t.closest && t.closest("input, textarea, select"))) return;
    const k = ev.key.toLowerCase();
    const map = { j: () => step(1), "о": () => step(1), k: () => step(-1), "л": () => step(-1),
      a: () => act("accept"), "ф": () => act("accept"), e: () => act("edit"), "у": () => act("edit"),
      r: () => act("reject"), "к": () => act("reject") }; // the same keys on a Russian layout
    if (map[k]) { ev.preventDefault(); map[k](); }
  });
  $("#help-btn").addEventListener("click", () => $("#help").showModal());

  // -- open at the value named in the address (#v=touchpoints[3]) or at a line (#L171)
  const m = /^#v=(.+)$/.exec(location.hash), l = /^#L(\d+)$/.exec(location.hash);
  if (m) {
    const path = decodeURIComponent(m[1]);
    const hit = valueEls.find((e) => e.dataset.path === path) ||
      valueEls.find((e) => path.startsWith(e.dataset.path + "."));
    if (hit) select(hit);
  } else if (l) {
    const n = +l[1];
    const v = D.values.find((x) => x.span && x.span.line <= n && n <= (x.span.end_line || x.span.line) && x.family !== "warnings");
    const hit = v && valueEls.find((e) => e.dataset.path === v.path);
    if (hit) select(hit);
    else { const ln = $("#L" + n); if (ln) highlight({ line: n, end_line: n, start: +ln.dataset.start, end: +ln.dataset.end }); }
  }
})();
