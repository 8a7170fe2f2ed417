"""The analyst's review workspace (``registry review``) and the corrections overlay.

An analyst checks every extracted value beside its source and corrects it;
corrections live in the store as an overlay over the extraction JSON, which is
never edited, and every read of the registry applies them.

    fields.py    what a document shows and how each value is edited (families, editors, vocabularies)
    jsonpath.py  JSON paths of values ('touchpoints[3].channel') and how to follow them
    overlay.py   corrections resolved against a (re-)extracted document and applied:
                 applied / matches / stale / orphaned / overridden
    book.py      the corrections and review statuses in the store; export and import
    registry.py  the reviewed registry: export, compare, diff and versions read through it
    actions.py   an analyst's action on the page → the corrections it records (values checked)
    views.py     what the document view shows: every value, its span, editor and corrections
    source.py    the source beside the values: normalized text, page images (cached)
    queue.py     the queue of documents to review
    app.py       the Starlette application; templates/ and static/ are served locally (no CDN)

Importing the package imports nothing heavy: Starlette is loaded by ``app.py`` only.
"""
