-- The NBBO part of a day index build (docs/formats/day-index.md): the NBBO series of each symbol, every
-- change with the state it took, from the rows nbbo-day-index.ts built (di_nbbo, prices as decimal text,
-- sizes as units of 1e-6 shares, scaled here because casting decimal text to DECIMAL(38,6) is slow, and venues
-- joined by commas), in the bucket of the symbol's current versions. {{ENCRYPTION}}: the store key's options
-- when the store is encrypted, else nothing.
COPY (
  SELECT bucket, symbol, ns, venue, seq,
    CAST(bid_price AS DECIMAL(18,8)) AS bid_price, CAST(CAST(bid_size AS DECIMAL(38,0)) * 0.000001 AS DECIMAL(38,6)) AS bid_size,
    CASE WHEN bid_venues = '' THEN []::VARCHAR[] ELSE string_split(bid_venues, ',') END AS bid_venues,
    CAST(ask_price AS DECIMAL(18,8)) AS ask_price, CAST(CAST(ask_size AS DECIMAL(38,0)) * 0.000001 AS DECIMAL(38,6)) AS ask_size,
    CASE WHEN ask_venues = '' THEN []::VARCHAR[] ELSE string_split(ask_venues, ',') END AS ask_venues
  FROM di_nbbo
) TO '{{DIR}}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});
