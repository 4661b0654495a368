-- Issue 5: offline card payments waiting for settlement, order numbers, kitchen print jobs.
-- (V3 is the config cache.)

-- Card payments authorized offline (or whose online charge is not yet known), settled oldest first
-- when the processor is reachable. idempotency_key derives from payment_id, so every retry, also
-- after a crash between the processor's answer and the local commit, is the same charge to the
-- processor. Amounts in minor units (cents), as processors take them.
-- status: pending (to settle), settled (the processor took it), declined (the card was refused:
-- final, never retried), failed (the processor refused the request itself: final, for review).
CREATE TABLE card_settlements (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id        TEXT    NOT NULL UNIQUE,
  order_id          TEXT    NOT NULL,
  amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
  currency          TEXT    NOT NULL,
  payment_method    TEXT    NOT NULL,
  customer          TEXT,
  idempotency_key   TEXT    NOT NULL UNIQUE,
  status            TEXT    NOT NULL DEFAULT 'pending',
  created_at        INTEGER NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  processor_ref     TEXT,
  processor_status  TEXT,
  decline_code      TEXT,
  message           TEXT,
  finished_at       INTEGER
);
-- The settler's work list, and the unsettled exposure the offline floor limits are checked against.
CREATE INDEX card_settlements_pending ON card_settlements (status, seq);

-- The last order number given per location and business date. Incremented and read in one
-- statement inside the caller's transaction, so numbers never repeat, also across restarts.
CREATE TABLE order_number_counters (
  location_id   TEXT    NOT NULL,
  business_date TEXT    NOT NULL,
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (location_id, business_date)
) WITHOUT ROWID;

-- Kitchen tickets (ESC/POS bytes) waiting for their printer, sent in seq order per printer.
-- job_id makes a repeated enqueue (a retried request) one job. status: pending or done.
CREATE TABLE print_jobs (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id          TEXT    NOT NULL UNIQUE,
  printer_id      TEXT    NOT NULL,
  payload         BLOB    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending',
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  printed_at      INTEGER
);
CREATE INDEX print_jobs_pending ON print_jobs (status, printer_id, seq);
