package app.fieldbook.attachments;

/**
 * The width and height an image declares in its header ({@link PhotoStructure}), not what decoding it finds.
 * Each is at most 2^32 - 1 (HEIF declares them in 32 bits).
 */
record PixelSize(long width, long height) {

    /** Width times height; {@link Long#MAX_VALUE} if that does not fit in a long. */
    long pixels() {
        return Math.multiplyHigh(width, height) == 0 && width * height >= 0 ? width * height : Long.MAX_VALUE;
    }
}
