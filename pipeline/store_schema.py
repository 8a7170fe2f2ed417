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
           DENSE_RANK() OVER (PARTITION BY d.agency_key ORDER BY d.sort_date, a.act_order) AS version
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
