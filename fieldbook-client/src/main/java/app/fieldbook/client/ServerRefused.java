package app.fieldbook.client;

/** The server answered a request with an error that trying again will not change. */
public final class ServerRefused extends FieldbookException {

    private final int status;
    private final String problemType;

    ServerRefused(String message, int status, String problemType) {
        super(message, null);
        this.status = status;
        this.problemType = problemType;
    }

    public int status() {
        return status;
    }

    /** The RFC 9457 problem type, when the server gave one. */
    public String problemType() {
        return problemType;
    }
}
