-- The edge's own change stream (stream "edge:<device id>", realtime.md "On the edge"): every change
-- to a record gets the next number of a one-row counter, so terminals can pull and replay the edge's
-- changes by lan_seq over the LAN, also while the internet is down. RecordStore, the one writer of
-- records (local writes, pulled changes, canonical records from push answers), takes numbers from
-- the counter inside the writing transaction, so SQLite's single writer makes them visible in
-- lan_seq order. Triggers would number every write path by themselves, but merely having them on
-- records made bulk writes about 40% slower (SQLite runs trigger programs per row): any new code that
-- writes records must go through RecordStore or take a number itself.

-- lan_seq: the number of the record's latest change. change_action: that change's action as devices
-- see it (ChangeKind), computed by the writer, which knows the record before the change.
ALTER TABLE records ADD COLUMN lan_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN change_action TEXT;

-- Records stored before this migration are numbered in version order.
UPDATE records SET lan_seq = numbered.n
  FROM (SELECT collection, id, row_number() OVER (ORDER BY version, collection, id) AS n
        FROM records) AS numbered
  WHERE records.collection = numbered.collection AND records.id = numbered.id;

CREATE INDEX records_lan_seq ON records (lan_seq);

CREATE TABLE lan_stream (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL
);
INSERT INTO lan_stream (id, last_seq) VALUES (1, (SELECT coalesce(max(lan_seq), 0) FROM records));

-- Writes terminals sent with an Idempotency-Key (the key is the op id of the write's outbox op), so
-- a retried write is answered with its first outcome and never applied twice, also after its outbox
-- op was pushed and deleted. status: the HTTP status first answered; error: the refusal (an ApiError
-- as JSON) when the write was refused, else null. Pruned after a retention (7 days, 100,000 rows).
CREATE TABLE lan_ops (
  op_id      TEXT    PRIMARY KEY,
  collection TEXT    NOT NULL,
  record_id  TEXT    NOT NULL,
  status     INTEGER NOT NULL,
  error      TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX lan_ops_age ON lan_ops (created_at);
