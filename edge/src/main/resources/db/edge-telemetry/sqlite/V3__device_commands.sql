-- Commands the hub sent to the location's equipment (an HVAC set point, …) and what became of them.
-- status: sent (published on the device's action topic, no answer yet), acknowledged (the device
-- answered ok), failed (the device answered failed, or the hub could not publish it), expired (no
-- answer within the timeout; a late answer still moves it to acknowledged or failed).
-- payload: the JSON published to the device. idempotency_key: the LAN request's Idempotency-Key, so
-- a retried request answers the same command and never publishes it twice.
CREATE TABLE device_commands (
  command_id       TEXT    PRIMARY KEY,
  device_id        TEXT    NOT NULL,
  action           TEXT    NOT NULL,
  payload          TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  issued_at        INTEGER NOT NULL,
  acked_at         INTEGER,
  message          TEXT,
  idempotency_key  TEXT    UNIQUE
);
CREATE INDEX device_commands_by_device ON device_commands (device_id, issued_at);
CREATE INDEX device_commands_waiting ON device_commands (issued_at) WHERE status = 'sent';
