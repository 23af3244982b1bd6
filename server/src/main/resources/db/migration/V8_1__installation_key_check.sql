-- A key check value of the master key this installation's data is encrypted with (an HMAC of a
-- constant under a key derived from it, never the key): a node started with another master key
-- refuses to start instead of answering invalid_client to every client.
alter table installation add column key_check varchar(64);
