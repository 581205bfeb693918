-- A symbol's book checkpoints from a day index's book-checkpoints part: each venue's book events of the
-- day and its checkpoints (JSON, as a repository's checkpoint file holds them), in venue order.
-- CHECKPOINTS: the scan of the symbol's bucket; $1 the symbol.
SELECT venue, events, checkpoints FROM {{CHECKPOINTS}} WHERE symbol = $1 ORDER BY venue
