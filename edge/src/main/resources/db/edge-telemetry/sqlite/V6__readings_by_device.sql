-- A device's readings by event time, kept in a table of its own and filled in bulk (four times a
-- second, sorted by device) instead of an index on readings. An index on (device_id, ts) takes each
-- new reading at its device's place in the tree: a commit of readings from 200 sensors rewrote
-- about 200 index pages, several times the cost of the readings themselves. Filled in bulk, each
-- device's new entries sit together. Readings not yet indexed (seq > readings_indexed.through_seq)
-- are searched in the readings table, by seq.
CREATE TABLE readings_by_device (
  device_id TEXT    NOT NULL,
  ts        INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (device_id, ts, seq)
) WITHOUT ROWID;

INSERT INTO readings_by_device (device_id, ts, seq)
  SELECT device_id, ts, seq FROM readings ORDER BY device_id, ts, seq;

DROP INDEX readings_by_device_time;

CREATE TABLE readings_indexed (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq INTEGER NOT NULL
);

INSERT INTO readings_indexed (id, through_seq) VALUES (1, coalesce((SELECT max(seq) FROM readings), 0));
