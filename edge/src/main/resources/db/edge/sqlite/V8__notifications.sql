-- Alert notifications (module notify, docs/notifications.md, decision 018). One row per message to
-- one recipient on one channel. id is a name-based UUID of (alert_id, event_kind, escalation,
-- channel, recipient), so submitting the same alert event again (a restart, a replayed backlog)
-- inserts nothing: each episode notifies each recipient once per channel. The row is written
-- before the provider is called, which is what lets a restart find an SMS that was in flight.
-- Times are epoch milliseconds.
CREATE TABLE notifications (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL,
  location_id     TEXT NOT NULL,
  alert_id        TEXT NOT NULL,
  rule            TEXT NOT NULL,
  severity        TEXT NOT NULL,
  event_kind      TEXT NOT NULL,    -- raised, escalated, acknowledged, resolved
  escalation      INTEGER NOT NULL, -- the alert's escalation count when the event happened
  channel         TEXT NOT NULL,    -- sms, email, webhook, staff, dashboard
  recipient       TEXT NOT NULL,    -- phone number, e-mail address, URL, 'staff' or 'dashboard'
  recipient_name  TEXT,
  subject         TEXT,
  body            TEXT NOT NULL,
  alert_json      TEXT NOT NULL,
  status          TEXT NOT NULL,    -- pending, sending, sent, failed
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,           -- while sending: when another deliverer may take the row over
  provider_id     TEXT,             -- Twilio's message sid, the SMTP Message-ID, the webhook status
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_by_location ON notifications (tenant_id, location_id, created_at);
CREATE INDEX notifications_by_alert ON notifications (alert_id);
