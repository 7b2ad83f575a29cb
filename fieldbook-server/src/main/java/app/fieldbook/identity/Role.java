package app.fieldbook.identity;

/** What a person may do. Which data they see is decided by their assignments (see the sites module). */
public enum Role {
    /** Files daily reports for the sites assigned to them. */
    WORKER,
    /** Reviews, returns and approves the reports of the sites in their portfolios. */
    MANAGER,
    /** Reads everything. */
    EXECUTIVE,
    /** Manages people, sites and assignments; reads the whole audit trail, but no report data. */
    ADMINISTRATOR;

    public String authority() {
        return "ROLE_" + name();
    }
}
