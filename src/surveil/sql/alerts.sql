-- The alerts of one run, filled by every detector in turn (one INSERT each), then numbered.
CREATE OR REPLACE TEMP TABLE sv_alerts (
  kind VARCHAR,
  symbol VARCHAR,
  from_ns BIGINT,
  to_ns BIGINT,
  score DOUBLE,
  participants STRUCT(reporter VARCHAR, fdid VARCHAR, ccid VARCHAR)[],
  events STRUCT(reporter VARCHAR, "firmROEID" VARCHAR, lifecycle VARCHAR)[],
  reason VARCHAR
);
