-- 空腹血糖 of a follow-up as a summary column beside sbp/dbp: diabetes visits (kind 'dm') show it in history
-- lists and the diabetes control indicators count it. Hypertension visits may carry it too (optional there).
ALTER TABLE visits ADD COLUMN fbg DOUBLE PRECISION;
UPDATE visits SET fbg = (payload::json ->> 'fbg')::double precision WHERE payload::json ->> 'fbg' IS NOT NULL;
