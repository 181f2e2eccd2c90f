-- PostgreSQL only (see postgresql/0015_measurements_by_city.sql): measurements split by city into hash
-- partitions without the primary-key index. DuckDB's table is unchanged (it has no index since 0006).
SELECT 1;
