-- The action of a record's last change as seed 002 names it (created, status_changed, role_changed, ...),
-- decided when the change is written, while the record before it is at hand. A change replayed from the
-- feed (a device connecting with since, a resume, the first change after a restart) is then named as
-- exactly as a live one. NULL for changes written before this column: they are named from the data alone.
ALTER TABLE records ADD COLUMN action TEXT;
