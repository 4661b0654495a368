-- Config sync (seed 003, decision 010). Config entities of every type live in one table keyed by
-- the registry's type (the seed's table names); the enterprise is the tenant, the property the
-- location. JSON is text and times are epoch milliseconds, as in V1.

-- data is the entity as stored: with secret fields and pin_hash, never a plaintext PIN.
-- property_id NULL: an enterprise-wide entity (every property of the enterprise sees it).
CREATE TABLE config_entities (
  enterprise_id TEXT NOT NULL,
  entity_type   TEXT NOT NULL,
  id            TEXT NOT NULL,
  property_id   TEXT,
  data          TEXT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, entity_type, id)
);
CREATE INDEX config_entities_by_property ON config_entities (property_id, entity_type, id);
CREATE INDEX config_entities_by_type ON config_entities (entity_type, id);

-- Seed 003's change log, one row per change per property it concerns. data is what hosts may
-- see (no secrets, no PIN), null for DELETE. Compaction rewrites rows at or below the property's
-- horizon into the latest op per entity.
CREATE TABLE config_versions (
  id          TEXT PRIMARY KEY,
  property_id TEXT NOT NULL,
  version     BIGINT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  operation   TEXT NOT NULL,
  data        TEXT,
  changed_at  BIGINT NOT NULL,
  changed_by  TEXT
);
CREATE INDEX idx_config_versions_property_version ON config_versions (property_id, version);

-- Per property: the current config version, the compaction horizon (a delta from below it is
-- refused), and a pending admin request for a full sync.
CREATE TABLE config_property_state (
  property_id            TEXT PRIMARY KEY,
  enterprise_id          TEXT NOT NULL,
  version                BIGINT NOT NULL,
  horizon                BIGINT NOT NULL,
  full_sync_requested_at BIGINT,
  full_sync_reason       TEXT,
  last_full_sync_at      BIGINT
);
CREATE INDEX config_property_state_by_enterprise ON config_property_state (enterprise_id);

-- One row per enterprise, locked by every config write and compaction of the enterprise: an
-- enterprise-wide change bumps all its properties, so writers of one enterprise take turns.
CREATE TABLE config_locks (
  enterprise_id TEXT PRIMARY KEY,
  writes        BIGINT NOT NULL
);

-- Heartbeats of service hosts (edges): cloud-side monitoring, never synced, kept 7 days and a
-- bounded number of rows per host.
CREATE TABLE service_host_metrics (
  id                   TEXT PRIMARY KEY,
  enterprise_id        TEXT NOT NULL,
  property_id          TEXT NOT NULL,
  device_id            TEXT NOT NULL,
  cpu_percent          DOUBLE PRECISION,
  memory_percent       DOUBLE PRECISION,
  disk_percent         DOUBLE PRECISION,
  connection_mode      TEXT,
  pending_transactions BIGINT,
  config_version       BIGINT NOT NULL,
  received_at          BIGINT NOT NULL
);
CREATE INDEX service_host_metrics_by_device ON service_host_metrics (enterprise_id, device_id, received_at);
