/**
 * The merge rules of offline sync, as plain Java with no Spring and no database: given a record as the
 * server has it and an operation a device made offline, decide field by field what is applied, what is
 * already so, and what becomes a conflict. Nothing of either side is ever dropped. A report's fields are
 * compared in one canonical form ({@link app.fieldbook.sync.merge.ReportFieldValues}).
 */
package app.fieldbook.sync.merge;
