-- The venue-quotes part of a day index build (docs/formats/day-index.md), the NBBO part's companion: every
-- change of each venue's own displayed best bid and offer, per symbol, from the rows nbbo-day-index.ts
-- built (di_venue_quotes, prices as decimal text, sizes as units of 1e-6 shares as in day-nbbo-write.sql;
-- n orders the symbol's changes), in the bucket of the symbol's current versions.
-- {{ENCRYPTION}}: the store key's options when the store is encrypted, else nothing.
COPY (
  SELECT bucket, symbol, venue, n, ns,
    CAST(bid_price AS DECIMAL(18,8)) AS bid_price, CAST(CAST(bid_size AS DECIMAL(38,0)) * 0.000001 AS DECIMAL(38,6)) AS bid_size,
    CAST(ask_price AS DECIMAL(18,8)) AS ask_price, CAST(CAST(ask_size AS DECIMAL(38,0)) * 0.000001 AS DECIMAL(38,6)) AS ask_size
  FROM di_venue_quotes
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
