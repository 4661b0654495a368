-- Stock on hand, low-stock alerts and time punch sequence (issue 5).

-- Per stock item with a reorder level: the on-hand last worked out after a change to its stock, and
-- the low-stock alert open for it (an inventory_alerts record), if any. One alert per crossing to or
-- below the reorder level: a new one only once the last was cleared by stock back above the level.
CREATE TABLE inventory_levels (
  item_id    TEXT    PRIMARY KEY,
  on_hand    TEXT    NOT NULL,
  alert_id   TEXT,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- An item's movements and counts, for its on-hand; an employee's punches, for the punch sequence;
-- an item's alerts. Partial, so records of other collections pay nothing on write.
CREATE INDEX inventory_movements_by_item ON records (json_extract(data, '$.item_id'))
  WHERE collection = 'inventory_movements';
CREATE INDEX inventory_counts_by_item ON records (json_extract(data, '$.item_id'))
  WHERE collection = 'inventory_counts';
CREATE INDEX inventory_alerts_by_item ON records (json_extract(data, '$.item_id'))
  WHERE collection = 'inventory_alerts';
CREATE INDEX time_punches_by_employee ON records (json_extract(data, '$.employee_id'))
  WHERE collection = 'time_punches';
