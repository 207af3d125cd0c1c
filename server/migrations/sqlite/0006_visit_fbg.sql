-- 空腹血糖 of a follow-up as a summary column beside sbp/dbp: diabetes visits (kind 'dm') show it in history
-- lists and the diabetes control indicators count it. Hypertension visits may carry it too (optional there).
ALTER TABLE visits ADD COLUMN fbg REAL;
UPDATE visits SET fbg = json_extract(payload, '$.fbg') WHERE json_extract(payload, '$.fbg') IS NOT NULL;
