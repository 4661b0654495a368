-- The property's configuration (seed 003): the cloud is its source of truth, the edge keeps an encrypted
-- copy so terminals can log in and sell while the internet is down.

-- Seed 003 names the config version tracker sync_state. The record syncer's key/value state had that
-- name first; it moves to syncer_state so that sync_state is exactly the seed's table
-- (docs/decisions/011-edge-sync-state-is-seed-003s-table.md).
ALTER TABLE sync_state RENAME TO syncer_state;

-- One row (id 1) for this edge's property. last_sync_version: the config version the cache holds;
-- last_sync_at / last_full_sync_at: ISO-8601 instants of the last successful sync of any kind / of a
-- full sync. Written in the same transaction as the cache, so the version never disagrees with it.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY,
  property_id TEXT NOT NULL,
  last_sync_version INTEGER NOT NULL,
  last_sync_at TEXT NOT NULL,
  last_full_sync_at TEXT,
  sync_status TEXT DEFAULT 'synced'  -- synced, syncing, error
);

-- Every config entity by its table name (seed 003's Table column: menu_items, employees, ...) and id,
-- as the cloud sent it (a JSON object). The enterprise and the property are rows too
-- (entity_type enterprises / properties), so one generic table holds the whole snapshot.
CREATE TABLE config_entities (
  entity_type TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  data        TEXT NOT NULL,
  PRIMARY KEY (entity_type, entity_id)
) WITHOUT ROWID;
