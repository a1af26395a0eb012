INSERT INTO categories (id, name) VALUES ('science', 'Science') ON CONFLICT DO NOTHING;
INSERT INTO users (id, username, email, password_hash)
SELECT gen_random_uuid(), 'u' || i, 'u' || i || '@x.test', 'h' FROM generate_series(1, 10000) i;
CREATE TABLE ids AS SELECT row_number() OVER () AS n, id FROM users;
