-- Closes the sandbox once its views exist. From here on the engine opens no file but the store's Parquet
-- folders ({{ALLOWED}}, read-only: nothing can write through a SELECT), loads no extension, and refuses any
-- SET that would undo this. {{TEMP}} is a private spill folder (DuckDB allows its temp folder implicitly).
-- {{MEMORY}} and {{TEMP_MAX}} bound what one query may hold in memory and spill, so a query too big for them
-- fails with the engine's out-of-memory error instead of exhausting the process or the disk.
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET temp_directory = {{TEMP}};
SET memory_limit = {{MEMORY}};
SET max_temp_directory_size = {{TEMP_MAX}};
SET allowed_directories = {{ALLOWED}};
SET enable_external_access = false;
SET lock_configuration = true;
