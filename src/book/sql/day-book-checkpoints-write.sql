-- The book-checkpoints part of a day index build (docs/formats/day-index.md), the NBBO part's companion: one
-- row per symbol and venue with book events of the date, its event count and its checkpoints as JSON, from
-- the rows nbbo-day-index.ts built (di_book_checkpoints), in the bucket of the symbol's current versions.
-- {{ENCRYPTION}}: the store key's options when the store is encrypted, else nothing.
COPY (SELECT bucket, symbol, venue, events, checkpoints FROM di_book_checkpoints)
TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
