-- A visit revision keeps its summary (a `VisitSummary` as JSON) instead of the whole pull JSON of 0004:
-- the pull assembles `{"kind":"visit","summary":…,"resident_id":…,"payload":…}` from it and `payload` in
-- SQL, so the form is no longer stored twice in every row (~40% of its bytes). NULL for rows written before
-- 0004; the pull builds those from the columns.
ALTER TABLE visits ADD COLUMN summary TEXT;
UPDATE visits SET summary = (wire::json -> 'summary')::text WHERE wire IS NOT NULL;
ALTER TABLE visits DROP COLUMN wire;
