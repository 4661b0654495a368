-- A batch's last reading, so that sending it reads the seq range [first_seq, last_seq] by primary
-- key: batch_id is not indexed (an index would be rewritten for every reading put in a batch), and
-- a search by batch_id alone scanned every stored reading for each batch sent. Batches formed
-- before this column existed read from first_seq to the end.
ALTER TABLE forward_batches ADD COLUMN last_seq INTEGER;
