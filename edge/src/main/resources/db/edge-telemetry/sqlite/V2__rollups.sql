-- Numeric readings rolled up per device in 5-minute and 1-hour buckets, kept up to date in the
-- same transaction as the readings themselves: a day's chart reads 288 rows instead of every
-- reading of the day, and the rollups outlive the raw readings the edge prunes after 7 days.
CREATE TABLE rollups (
  device_id  TEXT    NOT NULL,
  bucket_ms  INTEGER NOT NULL,
  start      INTEGER NOT NULL,
  min        REAL    NOT NULL,
  max        REAL    NOT NULL,
  sum        REAL    NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (device_id, bucket_ms, start)
) WITHOUT ROWID;

INSERT INTO rollups (device_id, bucket_ms, start, min, max, sum, count)
  SELECT device_id, 300000, (ts / 300000) * 300000, min(value), max(value), sum(value), count(value)
  FROM readings WHERE value IS NOT NULL GROUP BY device_id, ts / 300000;

INSERT INTO rollups (device_id, bucket_ms, start, min, max, sum, count)
  SELECT device_id, 3600000, (ts / 3600000) * 3600000, min(value), max(value), sum(value), count(value)
  FROM readings WHERE value IS NOT NULL GROUP BY device_id, ts / 3600000;
