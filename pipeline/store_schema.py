"""The SQL of the registry store, one string per migration (applied in order
by :meth:`pipeline.store.Store.migrate`, never edited once applied)."""

SCHEMA_1 = """
CREATE TABLE extractions (
    id               INTEGER PRIMARY KEY,
    path             TEXT NOT NULL,          -- absolute path of the ingested file
    sha256           TEXT NOT NULL,          -- content hash: unchanged files are not re-extracted
    format           TEXT,
    size_bytes       INTEGER,
    schema_version   TEXT,
    vocab_versions   TEXT,                   -- JSON object
    pipeline_version TEXT,
    ingested_at      TEXT NOT NULL,
    superseded       INTEGER NOT NULL DEFAULT 0,  -- 1 once a newer content of the same path is ingested
    json             TEXT NOT NULL           -- the whole extraction (pipeline.models.Extraction)
);
CREATE INDEX extractions_sha ON extractions(sha256);
CREATE INDEX extractions_path ON extractions(path);

CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    extraction_id       INTEGER NOT NULL REFERENCES extractions(id),
    doc_id              TEXT NOT NULL,       -- 'd1', 'd2', … within the file
    position            INTEGER NOT NULL,
    kind                TEXT NOT NULL,       -- order | draft | memo | other
    doc_type            TEXT,
    agency              TEXT,
    agency_key          TEXT NOT NULL,       -- pipeline.agency.agency_key
    region              TEXT,
    region_code         TEXT,
    date                TEXT,
    number              TEXT,
    place               TEXT,
    title               TEXT,
    signatory_name      TEXT,
    signatory_position  TEXT,
    registration_number TEXT,
    registration_date   TEXT,
    sort_date           TEXT NOT NULL,       -- date, or the date of the file's dated act for an undated draft
    n_touchpoints       INTEGER NOT NULL,
    n_requirements      INTEGER NOT NULL,
    n_thresholds        INTEGER NOT NULL,
    n_definitions       INTEGER NOT NULL,
    n_warnings          INTEGER NOT NULL,
    line                INTEGER,
    end_line            INTEGER
);
CREATE INDEX documents_agency ON documents(agency_key);

CREATE TABLE touchpoints (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    position       INTEGER NOT NULL,
    row            INTEGER,
    row_label      TEXT,
    direction      TEXT,
    direction_code TEXT,
    service        TEXT,
    name           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    channel_raw    TEXT,
    kind           TEXT,
    kind_source    TEXT,
    needs          TEXT,                     -- raw needs joined with '; '
    need_codes     TEXT,                     -- codes joined with ', '
    features       TEXT,
    source         TEXT,
    line           INTEGER
);
CREATE TABLE touchpoint_needs (
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints(id),
    need_code     TEXT NOT NULL
);
CREATE TABLE requirements (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    clause      TEXT,
    channel     TEXT,
    text        TEXT NOT NULL,
    line        INTEGER
);
CREATE TABLE thresholds (
    id             INTEGER PRIMARY KEY,
    requirement_id INTEGER NOT NULL REFERENCES requirements(id),
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    metric         TEXT NOT NULL,
    value          REAL NOT NULL,
    unit           TEXT NOT NULL,
    comparator     TEXT NOT NULL,
    condition      TEXT,
    raw            TEXT,
    line           INTEGER
);
CREATE TABLE definitions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    definition  TEXT NOT NULL,
    clause      TEXT,
    line        INTEGER
);
CREATE TABLE warnings (
    id            INTEGER PRIMARY KEY,
    extraction_id INTEGER NOT NULL REFERENCES extractions(id),
    document_id   INTEGER REFERENCES documents(id),   -- NULL for file-level warnings
    code          TEXT NOT NULL,
    severity      TEXT,
    message       TEXT NOT NULL,
    line          INTEGER
);

CREATE VIEW agency_versions AS
SELECT d.*, e.path AS source_path, e.sha256, e.superseded,
       ROW_NUMBER() OVER (PARTITION BY d.agency_key
                          ORDER BY d.sort_date, d.extraction_id, d.position) AS version
FROM documents d JOIN extractions e ON e.id = d.extraction_id
WHERE d.kind IN ('order', 'draft');

CREATE VIEW current_documents AS
SELECT * FROM (
    SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC) AS recency
    FROM agency_versions v WHERE v.kind = 'order' AND v.n_touchpoints > 0
) WHERE recency = 1;

CREATE VIEW current_registry AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       t.row, t.row_label, t.direction, t.direction_code, t.service, t.name,
       t.channel, t.kind, t.needs, t.need_codes, t.features, t.line
FROM current_documents c JOIN touchpoints t ON t.document_id = c.id
ORDER BY c.agency_key, t.position;

CREATE VIEW current_thresholds AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       r.clause, r.channel, th.metric, th.value, th.unit, th.comparator,
       th.condition, th.raw, th.line
FROM (
    SELECT * FROM (
        SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC) AS recency
        FROM agency_versions v WHERE v.kind = 'order' AND v.n_thresholds > 0
    ) WHERE recency = 1
) c
JOIN thresholds th ON th.document_id = c.id
JOIN requirements r ON r.id = th.requirement_id
ORDER BY c.agency_key, th.id;
"""


SCHEMA_2 = """
CREATE TABLE appendices (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    position        INTEGER NOT NULL,
    label           TEXT,
    title           TEXT,
    kind            TEXT,
    present         INTEGER NOT NULL,    -- 0 when the order approves it but the file lacks it
    approval_date   TEXT,
    approval_number TEXT,
    line            INTEGER
);
CREATE TABLE legal_basis (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    issuer      TEXT,
    doc_type    TEXT,
    date        TEXT,
    number      TEXT,
    title       TEXT,
    raw         TEXT,
    line        INTEGER
);
CREATE TABLE working_group (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    job_title   TEXT,
    role        TEXT,
    line        INTEGER
);
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    position     INTEGER NOT NULL,
    clause       TEXT,
    text         TEXT NOT NULL,
    assignee     TEXT,
    deadline     TEXT,
    deadline_raw TEXT,
    line         INTEGER
);
"""


# An appendix published alone (kind 'appendix') is part of the act it cites:
# documents of one agency with the same date and number are one act, one
# version (an order and its appendix ingested as two files share it); an act
# without both is a version of its own. An appendix holding a Перечень can make
# the current registry like an order.
SCHEMA_3 = """
DROP VIEW current_thresholds;
DROP VIEW current_registry;
DROP VIEW current_documents;
DROP VIEW agency_versions;

CREATE VIEW agency_versions AS
SELECT * FROM (
    SELECT d.*, e.path AS source_path, e.sha256, e.superseded,
           -- an undated draft of a date's act comes before the signed act it became
           DENSE_RANK() OVER (PARTITION BY d.agency_key ORDER BY d.sort_date, d.kind = 'draft' DESC, a.act_order) AS version
    FROM documents d JOIN extractions e ON e.id = d.extraction_id
    JOIN (
        -- an act is ordered where its first document was ingested; documents with the
        -- same date and number are one act, any other document is an act of its own
        SELECT id, CASE WHEN date IS NOT NULL AND number IS NOT NULL
                        THEN MIN(printf('%012d.%06d', extraction_id, position))
                             OVER (PARTITION BY agency_key, date, number)
                        ELSE printf('%012d.%06d', extraction_id, position) END AS act_order
        FROM documents
    ) a ON a.id = d.id
    WHERE d.kind IN ('order', 'draft', 'appendix')
);

CREATE VIEW current_documents AS
SELECT * FROM (
    SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC, v.kind = 'order' DESC) AS recency
    FROM agency_versions v WHERE v.kind IN ('order', 'appendix') AND v.n_touchpoints > 0
) WHERE recency = 1;

CREATE VIEW current_registry AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       t.row, t.row_label, t.direction, t.direction_code, t.service, t.name,
       t.channel, t.kind, t.needs, t.need_codes, t.features, t.line
FROM current_documents c JOIN touchpoints t ON t.document_id = c.id
ORDER BY c.agency_key, t.position;

CREATE VIEW current_thresholds AS
SELECT c.agency_key, c.agency, c.region, c.region_code, c.date AS order_date,
       c.number AS order_number, c.source_path, c.doc_id, c.version,
       r.clause, r.channel, th.metric, th.value, th.unit, th.comparator,
       th.condition, th.raw, th.line
FROM (
    SELECT * FROM (
        SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.agency_key ORDER BY v.version DESC, v.kind = 'order' DESC) AS recency
        FROM agency_versions v WHERE v.kind IN ('order', 'appendix') AND v.n_thresholds > 0
    ) WHERE recency = 1
) c
JOIN thresholds th ON th.document_id = c.id
JOIN requirements r ON r.id = th.requirement_id
ORDER BY c.agency_key, th.id;
"""


# The analyst's review (pipeline.review): corrections as an overlay over the
# extraction JSON, which is never edited, and a review status per document.
# Both are keyed by the file's content hash and the document id, never by a
# row id (rows are replaced when a file is re-extracted); a correction names
# its value by JSON path, old value and the anchors (raw text, offset) of the
# items on the path, so it is found again in a re-extraction or a changed
# file, or shown as stale / orphaned. Self-contained: no other table or view
# changes; every statement is IF NOT EXISTS, so a store rebuilt by hand or
# renumbered with another migration can run it again.
SCHEMA_4 = """
CREATE TABLE IF NOT EXISTS corrections (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,        -- stable across stores: export/import is idempotent
    sha256      TEXT NOT NULL,               -- content hash of the file reviewed
    source_path TEXT,                        -- its path when reviewed (a changed file carries corrections over)
    doc_id      TEXT NOT NULL,               -- 'd1', … within the file
    doc_anchor  TEXT,                        -- JSON: kind, date, number, agency_key of the document
    path        TEXT NOT NULL,               -- JSON path of the value: 'touchpoints[3].channel', 'meta.date', 'touchpoints' (add)
    action      TEXT NOT NULL CHECK (action IN ('accept', 'edit', 'reject', 'add')),
    old_value   TEXT,                        -- JSON: the extracted value (an item's snapshot for accept/reject)
    new_value   TEXT,                        -- JSON: the corrected value, or the added item
    anchors     TEXT,                        -- JSON list: {raw, start} of each list item on the path
    span        TEXT,                        -- JSON span of the value, or of the selection an item was added from
    reviewer    TEXT,
    created_at  TEXT NOT NULL,
    comment     TEXT,
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'withdrawn')),
    decided_by  TEXT,                        -- who withdrew it, and when
    decided_at  TEXT
);
CREATE INDEX IF NOT EXISTS corrections_doc ON corrections(sha256, doc_id);
CREATE INDEX IF NOT EXISTS corrections_source ON corrections(source_path);

CREATE TABLE IF NOT EXISTS review_status (
    sha256     TEXT NOT NULL,
    doc_id     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
    reviewer   TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, doc_id)
);
"""


# Extractor versioning (issue 10): which extractor made each stored extraction
# (pipeline.journal.extractor_version: package version + code fingerprint), so
# that `registry ingest --upgrade` re-extracts what an older one produced.
# Rows stored before this migration have NULL: an unknown, older extractor.
# Run only when the column is missing (SQLite has no ADD COLUMN IF NOT EXISTS),
# so a store renumbered or rebuilt by hand can run it again.
SCHEMA_5 = """
ALTER TABLE extractions ADD COLUMN extractor_version TEXT;
"""


# Every path of a content (issue 13): a file whose content another file
# already gave is not extracted again, but its path is recorded here; and one
# current extraction per path (two ingests racing once left two: the older
# ones become history before the index is made).
SCHEMA_6 = """
CREATE TABLE IF NOT EXISTS file_paths (
    path          TEXT NOT NULL,               -- absolute path of a file with this content
    sha256        TEXT NOT NULL,
    extraction_id INTEGER NOT NULL REFERENCES extractions(id),  -- the stored extraction of this content
    first_seen    TEXT NOT NULL,
    PRIMARY KEY (path, sha256)
);
INSERT OR IGNORE INTO file_paths (path, sha256, extraction_id, first_seen)
    SELECT path, sha256, MAX(id), MIN(ingested_at) FROM extractions GROUP BY path, sha256;
UPDATE extractions SET superseded = 1
    WHERE superseded = 0 AND id NOT IN (SELECT MAX(id) FROM extractions WHERE superseded = 0 GROUP BY path);
CREATE UNIQUE INDEX IF NOT EXISTS extractions_current_path ON extractions(path) WHERE superseded = 0;
"""
