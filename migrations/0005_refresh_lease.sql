-- The lease of a refresh in flight: set when the cron claims a source (to the lease's end, like
-- next_due_at), cleared when the refresh records its outcome. A lease that runs out while still
-- set means the refresh never finished (the isolate was stopped, the queue message was lost):
-- the next cron run records that as a failure, so the source backs off instead of being retried
-- silently forever.
ALTER TABLE sources ADD COLUMN lease_until INTEGER;
