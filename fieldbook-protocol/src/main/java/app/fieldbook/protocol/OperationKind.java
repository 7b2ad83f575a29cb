package app.fieldbook.protocol;

/** What an operation does to its entity. */
public enum OperationKind {
    CREATE,
    UPDATE,
    DELETE
}
