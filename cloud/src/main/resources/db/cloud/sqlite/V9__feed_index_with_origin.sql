-- A device's pull leaves out its own writes (origin and seq ranges). With origin in the feed's index, SQLite
-- checks that on the index entry and reads the row only for changes it serves: the pull that follows a
-- 100,000-op drain walks the index alone instead of reading every record it pushed back off disk.
-- (SQLite only: PostgreSQL checks a filter on the table row whatever the index holds.)
DROP INDEX records_by_location_seq;
CREATE INDEX records_by_location_seq ON records (tenant_id, location_id, seq, origin);
