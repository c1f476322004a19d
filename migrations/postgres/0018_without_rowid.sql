-- SQLite's 0018 rebuilds three tables as WITHOUT ROWID, a storage choice PostgreSQL
-- does not have (its tables are heaps with separate primary-key indexes either way):
-- nothing changes here. The file keeps the two lists of migrations in step.
SELECT 1;
