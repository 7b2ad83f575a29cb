package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GatheredCopy#copyAtMost}, through which every upload's bytes reach a file: a body that arrives in the
 * network's small pieces is written in {@linkplain GatheredCopy#GATHERED gathered} writes, every one but the last
 * a whole multiple of a disk block; the limit holds; what arrived before the client went away is written; and
 * once the photo's lease is lost (told by progress, which may learn it only after a long wait for a read) nothing
 * more is written.
 */
class GatheredCopyTest {

    private static final int PIECE = 7_919;

    @Test
    void aBodyInSmallPiecesIsWrittenGathered() throws IOException {
        byte[] body = bytes(1_500_000);
        Writes out = new Writes();

        long copied = GatheredCopy.copyAtMost(new Pieces(body, body.length), out, body.length, () -> { });

        assertThat(copied).isEqualTo(body.length);
        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(out.sizes).hasSize((body.length + GatheredCopy.GATHERED - 1) / GatheredCopy.GATHERED);
        assertThat(out.sizes.subList(0, out.sizes.size() - 1)).allMatch(size -> size == GatheredCopy.GATHERED);
        assertThat(GatheredCopy.GATHERED % 4096).isZero();
    }

    @Test
    void aBodyPastTheLimitIsToldAndNotWrittenPastIt() throws IOException {
        byte[] body = bytes(600_000);
        Writes out = new Writes();

        long copied = GatheredCopy.copyAtMost(new Pieces(body, body.length), out, 500_000, () -> { });

        assertThat(copied).isGreaterThan(500_000);
        assertThat(out.size()).isLessThanOrEqualTo(500_000);
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(body, out.size()));
    }

    @Test
    void aBodyOfExactlyTheLimitIsCopiedWhole() throws IOException {
        byte[] body = bytes(GatheredCopy.GATHERED * 2);
        Writes out = new Writes();

        assertThat(GatheredCopy.copyAtMost(new Pieces(body, body.length), out, body.length, () -> { }))
                .isEqualTo(body.length);
        assertThat(out.toByteArray()).isEqualTo(body);
    }

    @Test
    void whatArrivedBeforeTheClientWentAwayIsWritten() {
        byte[] body = bytes(400_000);
        int arrived = 300_001;
        Writes out = new Writes();

        assertThatThrownBy(() -> GatheredCopy.copyAtMost(new Pieces(body, arrived), out, body.length, () -> { }))
                .isInstanceOf(IOException.class).hasMessage("client went away");
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(body, arrived));
    }

    @Test
    void progressIsToldAsEachPieceArrivesAndMayStopTheCopy() {
        byte[] body = bytes(GatheredCopy.GATHERED * 3);
        Writes out = new Writes();
        int stopAt = GatheredCopy.GATHERED / PIECE + 5;
        int[] told = {0};

        assertThatThrownBy(() -> GatheredCopy.copyAtMost(new Pieces(body, body.length), out, body.length, () -> {
            if (++told[0] == stopAt) {
                throw new IOException("lease lost");
            }
        })).hasMessage("lease lost");
        assertThat(out.toByteArray()).as("the first gathering, not what was gathered when the lease was lost")
                .isEqualTo(Arrays.copyOf(body, GatheredCopy.GATHERED));
    }

    @Test
    void aLeaseLostWhileTheLastReadWaitedWritesNothingMore() {
        byte[] body = bytes(100_000);
        boolean[] lost = {false};
        Writes out = new Writes();

        assertThatThrownBy(() -> GatheredCopy.copyAtMost(new Pieces(body, body.length, () -> lost[0] = true), out,
                body.length, leaseUnless(lost))).hasMessage("lease lost");
        assertThat(out.size()).isZero();
    }

    @Test
    void aLeaseLostWhileTheFailingReadWaitedKeepsNothingOfWhatWasGathered() {
        byte[] body = bytes(100_000);
        boolean[] lost = {false};
        Writes out = new Writes();

        assertThatThrownBy(() -> GatheredCopy.copyAtMost(new Pieces(body, 50_000, () -> lost[0] = true), out,
                body.length, leaseUnless(lost)))
                .hasMessage("client went away")
                .satisfies(failure -> assertThat(failure.getSuppressed()).singleElement()
                        .satisfies(notKept -> assertThat(notKept).hasMessage("lease lost")));
        assertThat(out.size()).isZero();
    }

    private static PartialUploads.Progress leaseUnless(boolean[] lost) {
        return () -> {
            if (lost[0]) {
                throw new IOException("lease lost");
            }
        };
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** A body as the network hands it over: in pieces of a few kilobytes, failing after {@code arrives} bytes. */
    private static final class Pieces extends InputStream {

        private final byte[] body;
        private final int arrives;
        private final Runnable whileTheLastReadWaits;
        private int at;

        Pieces(byte[] body, int arrives) {
            this(body, arrives, () -> { });
        }

        Pieces(byte[] body, int arrives, Runnable whileTheLastReadWaits) {
            this.body = body;
            this.arrives = arrives;
            this.whileTheLastReadWaits = whileTheLastReadWaits;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read in pieces");
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (at == body.length) {
                whileTheLastReadWaits.run();
                return -1;
            }
            if (at == arrives) {
                whileTheLastReadWaits.run();
                throw new IOException("client went away");
            }
            int piece = Math.min(Math.min(length, PIECE), arrives - at);
            System.arraycopy(body, at, into, offset, piece);
            at += piece;
            return piece;
        }
    }

    /** Keeps what is written and the size of every write. */
    private static final class Writes extends ByteArrayOutputStream {

        private final List<Integer> sizes = new ArrayList<>();

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            sizes.add(length);
            super.write(bytes, offset, length);
        }
    }
}
