package app.fieldbook.attachments;

/** The file is not the well-formed image its leading bytes claim; the message says where it breaks. */
final class MalformedImage extends Exception {

    MalformedImage(String reason) {
        super(reason, null, false, false);
    }
}
