package app.fieldbook.attachments;

import app.fieldbook.Fixtures.Person;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A photo upload whose body stops halfway, as a phone's on a slow network, until the test lets it go on. */
public final class HeldUploads {

    private HeldUploads() {
    }

    /**
     * Sends the request's head and half of {@code photo} over a socket, then the rest once {@code rest} opens;
     * the future is the raw HTTP answer.
     */
    public static CompletableFuture<String> heldHalfway(int port, Person worker, String report, byte[] photo,
            CountDownLatch rest) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/reports/" + report + "/photos?id=" + UUID.randomUUID() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + worker.api().token() + "\r\n"
                + "Content-Type: image/jpeg\r\nContent-Length: " + photo.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(photo, 0, photo.length / 2);
        out.flush();
        return CompletableFuture.supplyAsync(() -> {
            try (socket) {
                rest.await(30, TimeUnit.SECONDS);
                out.write(photo, photo.length / 2, photo.length - photo.length / 2);
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
