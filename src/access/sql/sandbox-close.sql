-- Closes the sandbox once its views exist. From here on the engine opens no file but the store's Parquet
-- folders ({{ALLOWED}}, read-only: nothing can write through a SELECT), loads no extension, and refuses any
-- SET that would undo this. {{TEMP}} is a private spill folder (DuckDB allows its temp folder implicitly).
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET temp_directory = {{TEMP}};
SET allowed_directories = {{ALLOWED}};
SET enable_external_access = false;
SET lock_configuration = true;
