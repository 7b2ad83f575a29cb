-- The report's date on its crew rows (issue 13, docs/performance.md "The month-end's queries on PostgreSQL"):
-- the month-end's and the dashboards' crews of a range of days are one range of an index, instead of one lookup
-- per report in an index ordered by random report ids. The reports' write path (DailyReports) writes it with
-- each crew row; a report's date is fixed at its creation, so it cannot drift. The index also serves the lookup
-- of one report's crew (date and id), so it replaces V14's report_crew_figures.
ALTER TABLE report_crew ADD COLUMN report_date DATE;
UPDATE report_crew SET report_date = (SELECT r.report_date FROM daily_reports r WHERE r.id = report_crew.report_id);
ALTER TABLE report_crew ALTER COLUMN report_date SET NOT NULL;
CREATE INDEX report_crew_by_date ON report_crew (report_date, report_id, trade, company, headcount, hours);
DROP INDEX report_crew_figures;
