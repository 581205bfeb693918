-- The repository catalogue (catalog.duckdb): what was received and what became of it, reference data,
-- the tamper-evident log. Record data itself lives in Parquet under store/.

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE SEQUENCE IF NOT EXISTS file_ids START 1;
-- errorROEIDs are CAT's Numeric(20) record handles for rejected records.
CREATE SEQUENCE IF NOT EXISTS error_roe_ids START 100000001;

CREATE TABLE IF NOT EXISTS ref_firms (crd UBIGINT, name VARCHAR);
CREATE TABLE IF NOT EXISTS ref_imids (imid VARCHAR, crd UBIGINT, from_date INTEGER, to_date INTEGER, ats BOOLEAN);
CREATE TABLE IF NOT EXISTS ref_exchanges (exchange_id VARCHAR, name VARCHAR, from_date INTEGER, to_date INTEGER);
CREATE TABLE IF NOT EXISTS ref_submitters (submitter_id UBIGINT, name VARCHAR);
CREATE TABLE IF NOT EXISTS ref_authorizations (
  submitter_id UBIGINT, reporter VARCHAR, kind VARCHAR, from_date INTEGER, to_date INTEGER
);
CREATE TABLE IF NOT EXISTS ref_symbols (
  symbol VARCHAR, listing VARCHAR, name VARCHAR, nms BOOLEAN, test BOOLEAN, from_date INTEGER, to_date INTEGER
);

-- The options series master (optional options.json): one row per OSI option symbol.
CREATE TABLE IF NOT EXISTS ref_options (
  option_id VARCHAR, underlying VARCHAR, expiry INTEGER, strike DECIMAL(18,8), put_call VARCHAR,
  from_date INTEGER, to_date INTEGER
);

-- Every file ever received, accepted or not. Names are never reusable (1103), so base_name stays here for good.
CREATE TABLE IF NOT EXISTS files (
  file_id BIGINT PRIMARY KEY,
  name VARCHAR NOT NULL,
  base_name VARCHAR,
  role VARCHAR,              -- data | meta | unknown (malformed name)
  kind VARCHAR,              -- OrderEvents | ExchangeEvents | CAISData | CAISTID
  format VARCHAR,            -- json | csv
  compressed BOOLEAN,
  is_delete BOOLEAN,
  submitter_id UBIGINT,
  reporter VARCHAR,
  generation_date INTEGER,
  file_group VARCHAR,
  file_number INTEGER,
  size_bytes BIGINT,
  sha256 VARCHAR,
  received_ns BIGINT,
  inbox_path VARCHAR,
  status VARCHAR,            -- see docs/formats/repository.md
  meta_file_id BIGINT,
  expected_records BIGINT,
  file_version VARCHAR,
  done_for_day BOOLEAN,
  processing_date INTEGER,
  records BIGINT,
  accepted BIGINT,
  rejected BIGINT,
  late BOOLEAN,
  ingested_ns BIGINT,        -- when its records became visible
  deleted_ns BIGINT,         -- when a file delete took them out again
  note VARCHAR
);

CREATE TABLE IF NOT EXISTS feedback (
  file_id BIGINT,
  stage VARCHAR,             -- FILE_ACKNOWLEDGEMENT | FILE_INTEGRITY | INGESTION | LINKAGE
  status VARCHAR,            -- Success | Failure
  severity VARCHAR,
  codes INTEGER[],
  path VARCHAR,
  completed_ns BIGINT
);

-- The append-only log of accepted files (RFC 6962 Merkle tree leaves) and its signed tree heads.
CREATE TABLE IF NOT EXISTS log_leaves (leaf_index BIGINT PRIMARY KEY, file_id BIGINT, leaf_hash VARCHAR, leaf_data VARCHAR);
CREATE TABLE IF NOT EXISTS log_heads (tree_size BIGINT PRIMARY KEY, root_hash VARCHAR, signed_ns BIGINT, signature VARCHAR);
