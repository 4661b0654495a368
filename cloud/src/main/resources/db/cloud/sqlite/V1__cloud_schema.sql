-- The cloud's schema. JSON is stored as text on both databases so the two dialects behave alike;
-- booleans are 0/1 integers for the same reason. Times are epoch milliseconds.

CREATE TABLE tenants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Location ids are unique across tenants: status and trigger name a location without its tenant.
CREATE TABLE locations (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (id),
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX locations_by_tenant ON locations (tenant_id, id);

CREATE TABLE devices (
  tenant_id    TEXT NOT NULL REFERENCES tenants (id),
  id           TEXT NOT NULL,
  location_id  TEXT NOT NULL REFERENCES locations (id),
  device_type  TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  revoked      INTEGER NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE sync_configs (
  tenant_id  TEXT PRIMARY KEY REFERENCES tenants (id),
  config     TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One row per tenant, locked by every writing transaction: seqs are allocated and become visible
-- in order, so a reader that pulled past seq N never misses a change numbered N or below.
CREATE TABLE tenant_seq (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  last_seq  BIGINT NOT NULL
);

-- location_id NULL: an enterprise-wide record, visible to every location of the tenant.
-- Pulls read (tenant_id, location_id, seq) for the location and for NULL, ordered by seq.
CREATE TABLE records (
  tenant_id      TEXT NOT NULL,
  collection     TEXT NOT NULL,
  id             TEXT NOT NULL,
  location_id    TEXT,
  data           TEXT NOT NULL,
  version        BIGINT NOT NULL,
  origin         TEXT NOT NULL,
  field_versions TEXT NOT NULL,
  deleted        INTEGER NOT NULL,
  seq            BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, collection, id)
);
CREATE INDEX records_by_location_seq ON records (tenant_id, location_id, seq);

-- Every op applied (applied or merged), so a retried op is answered with its first result.
CREATE TABLE op_log (
  tenant_id   TEXT NOT NULL,
  op_id       TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  seq         BIGINT,
  location_id TEXT,
  collection  TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, op_id)
);

-- Rejected ops: attempts are counted per op id; at retry_attempts the op goes to review
-- (status pending) until an admin requeues or discards it.
CREATE TABLE op_rejections (
  tenant_id   TEXT NOT NULL,
  op_id       TEXT NOT NULL,
  location_id TEXT,
  device_id   TEXT,
  op          TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  status      TEXT NOT NULL,
  first_at    BIGINT NOT NULL,
  last_at     BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, op_id)
);
CREATE INDEX op_rejections_by_status ON op_rejections (tenant_id, status, last_at);

CREATE TABLE conflicts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT NOT NULL,
  location_id TEXT,
  collection  TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  op_id       TEXT NOT NULL,
  strategy    TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  local       TEXT NOT NULL,
  server      TEXT,
  resolved    TEXT,
  skewed      INTEGER NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX conflicts_by_tenant ON conflicts (tenant_id, id);

CREATE TABLE location_sync_status (
  location_id          TEXT PRIMARY KEY,
  tenant_id            TEXT NOT NULL,
  last_contact         BIGINT,
  last_sync            BIGINT,
  pending_count        BIGINT NOT NULL DEFAULT 0,
  oldest_pending_age_ms BIGINT NOT NULL DEFAULT 0,
  latency_ms           BIGINT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);
