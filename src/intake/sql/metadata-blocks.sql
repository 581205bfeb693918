-- The data file each block of one metadata file names, for all blocks in one pass: among the data files
-- of that name received before the metadata file, the first still waiting for metadata, else the latest;
-- and whether another data file holds its base name (paired or ingested, or waiting since before it), and
-- whether an earlier block of this metadata file already names a data file of that base name (names are
-- unique, so a data file is paired once: the repeat is a duplicate, 1103).
-- $1: the blocks' file names as a JSON array, in block order; $2: the metadata file's receipt time (ns).
WITH blocks AS (
  SELECT unnest(range(len(names))) AS block_index, unnest(names) AS file_name
  FROM (SELECT from_json($1, '["VARCHAR"]') AS names)
),
candidates AS (
  SELECT b.block_index, f.file_id, f.base_name,
    row_number() OVER (
      PARTITION BY b.block_index
      ORDER BY f.status = 'received' DESC, CASE WHEN f.status = 'received' THEN f.file_id END, f.file_id DESC
    ) AS pick
  FROM blocks b
  JOIN files f ON f.name = b.file_name AND f.role = 'data' AND f.received_ns <= $2 AND f.inbox_path IS NOT NULL
)
SELECT c.block_index, c.file_id,
  c.block_index > min(c.block_index) OVER (PARTITION BY c.base_name) AS repeated,
  EXISTS (
    SELECT 1 FROM files o
    WHERE o.role = 'data' AND o.base_name = c.base_name AND o.file_id <> c.file_id
      AND (o.status IN ('paired', 'ingested') OR (o.status = 'received' AND o.file_id < c.file_id))
  ) AS base_name_taken
FROM candidates c
WHERE c.pick = 1
ORDER BY c.block_index
