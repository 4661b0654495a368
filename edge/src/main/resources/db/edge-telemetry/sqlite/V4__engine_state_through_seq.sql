-- The engine's state is saved about once a second instead of with every batch; through_seq is the
-- last reading it includes, and the readings after it are replayed into the engine at start.
-- A state saved before this column existed included every reading stored.
ALTER TABLE engine_state ADD COLUMN through_seq INTEGER;
