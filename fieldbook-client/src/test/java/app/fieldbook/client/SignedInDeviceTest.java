package app.fieldbook.client;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of a device against its own {@link LoopbackServer}: before each test the device is signed in as
 * {@link LoopbackServer#LOGIN} and knows the sites NORTH and HARBOUR, its store in {@code directory} and its
 * time on {@code clock}. A test may close {@code client} and open it again on the same store to restart
 * the device; whatever {@code client} is at the end is closed with the server.
 */
abstract class SignedInDeviceTest {

    @TempDir
    Path directory;

    final TestClock clock = TestClock.at("2025-06-02T16:30:00Z");
    final LoopbackServer server = new LoopbackServer();
    FieldbookClient client;

    @BeforeEach
    void signIn() {
        client = TestDevices.signedIn(TestDevices.device(directory, server, clock), server);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }
}
