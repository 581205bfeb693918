-- One slice of the timeline part (docs/formats/day-index.md) in time order, ties by event id: the rows of
-- tl_rows (day-timeline-rows.sql) {{SLICE}} selects (a range of _event_ns), into {{FILE}}, in row groups
-- small enough that a page's filters on the time skip all but the groups holding it. The engine's sort
-- needs memory growing with its rows (a 3.6 M-event day's sort failed under 120 MB), so a day is sorted
-- in slices sized to the memory limit. {{ENCRYPTION}}: the store key's options when the store is
-- encrypted, else nothing.
COPY (
  SELECT * FROM tl_rows WHERE {{SLICE}} ORDER BY _event_ns, _event_id
) TO '{{FILE}}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384{{ENCRYPTION}});
