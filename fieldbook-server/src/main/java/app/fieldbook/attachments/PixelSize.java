package app.fieldbook.attachments;

/** The width and height an image declares in its header ({@link PhotoStructure}), not what decoding it finds. */
record PixelSize(int width, int height) {

    long pixels() {
        return (long) width * height;
    }
}
