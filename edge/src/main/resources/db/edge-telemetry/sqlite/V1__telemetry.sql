-- The edge hub's telemetry store: a file of its own (telemetry.db), so a burst of sensor readings
-- never waits on, or holds, the write lock of the restaurant's operations store (edge.db).

-- Every accepted reading, in arrival order. batch_id: the forward batch it was put in (null: not
-- yet); a reading leaves this table only by retention, after the cloud acknowledged its batch.
CREATE TABLE readings (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id   TEXT    NOT NULL,
  device_type TEXT    NOT NULL,
  ts          INTEGER NOT NULL,
  value       REAL,
  unit        TEXT,
  open        INTEGER,
  state       TEXT,
  attributes  TEXT,
  batch_id    TEXT
);
CREATE INDEX readings_by_device_time ON readings (device_id, ts);
CREATE INDEX readings_unbatched ON readings (seq) WHERE batch_id IS NULL;

-- Batches on their way to the cloud: formed once, sent (and resent) under the same id until the
-- cloud answers 200, then marked acknowledged. parked: the cloud refused it for good (400/413/422).
CREATE TABLE forward_batches (
  batch_id     TEXT    PRIMARY KEY,
  first_seq    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  readings     INTEGER NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  acked_at     INTEGER
);
CREATE INDEX forward_batches_pending ON forward_batches (status, first_seq);

-- The alert log: each episode once, its latest state; forwarded = 0 until the cloud has it.
CREATE TABLE alerts (
  alert_id    TEXT    PRIMARY KEY,
  device_id   TEXT    NOT NULL,
  rule        TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  json        TEXT    NOT NULL,
  forwarded   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_by_status ON alerts (status, started_at);

-- The alert engine's timers, open alerts and baselines, saved with each batch that changed them.
CREATE TABLE engine_state (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  json  TEXT    NOT NULL
);
