-- The month-end's reads (insights, ADR 0021 and its EXPLAIN): a month of every site found by date, and the crews'
-- hours and headcount read from an index alone, without a visit to each crew row.
CREATE INDEX daily_reports_by_date ON daily_reports (report_date);
CREATE INDEX report_crew_figures ON report_crew (report_id, trade, company, headcount, hours);
