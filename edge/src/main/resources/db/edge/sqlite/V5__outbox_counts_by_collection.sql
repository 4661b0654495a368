-- The queue panel, /metrics and every sync cycle count the outbox by collection. Without an index
-- that covers (collection, priority) that count reads and decrypts every queued op's row: about
-- 100 ms per 100,000 ops queued, on each cycle of a drain.
CREATE INDEX outbox_by_collection ON outbox (collection, priority);
