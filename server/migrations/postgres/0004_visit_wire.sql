-- The pull's JSON of a visit revision (a `Change::Visit`), written once when the revision is stored: a pull
-- then copies it instead of decoding eighteen columns and re-encoding the form. NULL for rows written
-- before this column existed; the pull builds those from the columns.
ALTER TABLE visits ADD COLUMN wire TEXT;
