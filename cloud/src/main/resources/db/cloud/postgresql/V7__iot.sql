-- IoT telemetry (decision 017). Times are epoch milliseconds, as in V1. Devices themselves are the
-- iot_devices config entities (config_entities); these tables hold what they send.

-- Raw readings, one per device and event time: a reading sent twice (an MQTT redelivery, a batch
-- retried after a lost answer) is stored once. Exactly one of value, door_open, state is set.
CREATE TABLE iot_readings (
  tenant_id   TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  ts          BIGINT NOT NULL,
  location_id TEXT NOT NULL,
  device_type TEXT NOT NULL,
  value       DOUBLE PRECISION,
  unit        TEXT,
  door_open   SMALLINT,
  state       TEXT,
  attributes  TEXT,
  source      TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, device_id, ts)
);
CREATE INDEX iot_readings_by_ts ON iot_readings (ts);

-- Rollups at 5 minutes (300 s) and 1 hour (3600 s), updated in the transaction that inserts the
-- raw readings, so no raw reading is ever without its rollup. bucket is the bucket's start.
-- value_sum/value_count give the average; open_count counts door readings with open = true.
CREATE TABLE iot_rollups (
  tenant_id    TEXT NOT NULL,
  device_id    TEXT NOT NULL,
  resolution   INTEGER NOT NULL,
  bucket       BIGINT NOT NULL,
  location_id  TEXT NOT NULL,
  unit         TEXT,
  reading_count BIGINT NOT NULL,
  value_count  BIGINT NOT NULL,
  value_sum    DOUBLE PRECISION,
  value_min    DOUBLE PRECISION,
  value_max    DOUBLE PRECISION,
  open_count   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, device_id, resolution, bucket)
);
CREATE INDEX iot_rollups_by_bucket ON iot_rollups (resolution, bucket);

-- Edge batches already applied, by the edge's device id and its batch id: a retried batch is
-- answered from here and nothing is stored twice. Written in the batch's transaction.
CREATE TABLE iot_batches (
  tenant_id      TEXT NOT NULL,
  edge_device_id TEXT NOT NULL,
  batch_id       TEXT NOT NULL,
  accepted       INTEGER NOT NULL,
  rejected       INTEGER NOT NULL,
  received_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, edge_device_id, batch_id)
);
CREATE INDEX iot_batches_by_time ON iot_batches (received_at);

-- The cloud's alert log: alerts raised by the cloud's own engine and those the edges forward.
-- status_rank (active 0, acknowledged 1, resolved 2) only moves forward.
CREATE TABLE iot_alerts (
  tenant_id       TEXT NOT NULL,
  alert_id        TEXT NOT NULL,
  location_id     TEXT NOT NULL,
  device_id       TEXT NOT NULL,
  rule            TEXT NOT NULL,
  severity        TEXT NOT NULL,
  status          TEXT NOT NULL,
  status_rank     INTEGER NOT NULL,
  started_at      BIGINT NOT NULL,
  raised_at       BIGINT,
  acknowledged_at BIGINT,
  acknowledged_by TEXT,
  resolved_at     BIGINT,
  value           DOUBLE PRECISION,
  threshold       DOUBLE PRECISION,
  escalations     INTEGER NOT NULL,
  message         TEXT,
  updated_at      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, alert_id)
);
CREATE INDEX iot_alerts_by_device ON iot_alerts (tenant_id, device_id, status_rank);
CREATE INDEX iot_alerts_by_time ON iot_alerts (tenant_id, started_at);

-- The cloud alert engine's state (timers, open episodes) for the readings the cloud evaluates
-- itself (direct MQTT), restored at start.
CREATE TABLE iot_engine_state (
  tenant_id  TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
