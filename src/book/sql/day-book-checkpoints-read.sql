-- A venue's book checkpoints of a symbol from a day index's book-checkpoints part: its book events of the
-- day and its checkpoints (JSON, as a repository's checkpoint file holds them). CHECKPOINTS: the scan of the
-- symbol's bucket; $1 the symbol, $2 the venue.
SELECT events, checkpoints FROM {{CHECKPOINTS}} WHERE symbol = $1 AND venue = $2
