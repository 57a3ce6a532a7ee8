INSERT INTO bench_insert (payload) VALUES ('one row, committed on its own');
