-- The op log is only ever read by (tenant_id, op_id), and a drain inserts one small row per op: keyed by that
-- alone, each insert updates one B-tree instead of a rowid table plus its primary-key index.
-- (SQLite only; PostgreSQL keeps V1's table.)
CREATE TABLE op_log_keyed (
  tenant_id   TEXT NOT NULL,
  op_id       TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  seq         BIGINT,
  location_id TEXT,
  collection  TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, op_id)
) WITHOUT ROWID;

INSERT INTO op_log_keyed (tenant_id, op_id, outcome, seq, location_id, collection, record_id, created_at)
SELECT tenant_id, op_id, outcome, seq, location_id, collection, record_id, created_at FROM op_log;

DROP TABLE op_log;

ALTER TABLE op_log_keyed RENAME TO op_log;
