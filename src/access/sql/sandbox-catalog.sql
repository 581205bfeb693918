-- The tables of the repository catalogue a regulator's SQL may read, copied into the sandbox's own
-- in-memory database (the store views join them). The catalogue itself is attached read-only only for this
-- copy and detached before any regulator's SQL runs. {{CATALOG}} is the catalogue's path as a literal,
-- {{KEY}} the store key's option when the repository is encrypted (else nothing).
ATTACH {{CATALOG}} AS repo_catalog (READ_ONLY{{KEY}});
CREATE TABLE files AS SELECT * FROM repo_catalog.files;
CREATE TABLE meta AS SELECT * FROM repo_catalog.meta WHERE key IN ('ccid_key', 'repairs_named');
CREATE TABLE ref_firms AS SELECT * FROM repo_catalog.ref_firms;
CREATE TABLE ref_imids AS SELECT * FROM repo_catalog.ref_imids;
CREATE TABLE ref_exchanges AS SELECT * FROM repo_catalog.ref_exchanges;
CREATE TABLE ref_submitters AS SELECT * FROM repo_catalog.ref_submitters;
CREATE TABLE ref_authorizations AS SELECT * FROM repo_catalog.ref_authorizations;
CREATE TABLE ref_symbols AS SELECT * FROM repo_catalog.ref_symbols;
DETACH repo_catalog;
