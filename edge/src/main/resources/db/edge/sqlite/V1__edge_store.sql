-- The edge's local store: records as terminals see them, the transactional outbox of local writes
-- waiting for the cloud, ops the cloud sent to review, the location's devices (for offline token
-- checks) and the syncer's state (so backoff, offline time and the feed position survive restarts).

CREATE TABLE records (
  collection     TEXT    NOT NULL,
  id             TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  origin         TEXT    NOT NULL,
  server_version INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;

CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id        TEXT    NOT NULL UNIQUE,
  collection   TEXT    NOT NULL,
  record_id    TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  base_version INTEGER NOT NULL,
  base_origin  TEXT,
  hlc          INTEGER NOT NULL,
  priority     INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT
);
-- Push order: critical first, then by local order.
CREATE INDEX outbox_push_order ON outbox (priority, seq);
-- "Is a newer local op for this record still queued?"
CREATE INDEX outbox_record ON outbox (collection, record_id, seq);

CREATE TABLE dead_letters (
  op_id        TEXT    PRIMARY KEY,
  collection   TEXT    NOT NULL,
  record_id    TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  base_version INTEGER NOT NULL,
  hlc          INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  moved_at     INTEGER NOT NULL,
  attempts     INTEGER NOT NULL,
  error        TEXT
);

CREATE TABLE devices (
  device_id    TEXT    PRIMARY KEY,
  device_type  TEXT    NOT NULL,
  token_sha256 TEXT    NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_token ON devices (token_sha256);

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
