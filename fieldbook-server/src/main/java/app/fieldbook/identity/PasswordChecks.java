package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Checks passwords against their hashes on a few platform threads of its own
 * ({@code fieldbook.identity.password-check-threads}, one per processor by default). An Argon2 check costs
 * tens of milliseconds of processor and 16 MB of memory by design; run on the carriers of the virtual
 * threads, a burst of sign-ins (a crew's phones at the start of a shift) took the processors from every other
 * request, and its memory grew with the burst. Here the checks queue in turn, the waiting sign-in holds no
 * carrier, and the caller holds no database connection meanwhile ({@link SigningIn}). A check that does not
 * come within {@code password-check-wait} is answered 503 {@code server-busy} with Retry-After.
 */
@Component
class PasswordChecks implements DisposableBean {

    private final PasswordEncoder passwords;
    private final IdentitySettings settings;
    private final ExecutorService threads;

    PasswordChecks(PasswordEncoder passwords, IdentitySettings settings) {
        this.passwords = passwords;
        this.settings = settings;
        int count = settings.passwordCheckThreads() > 0 ? settings.passwordCheckThreads()
                : Runtime.getRuntime().availableProcessors();
        this.threads = Executors.newFixedThreadPool(count, Thread.ofPlatform().name("password-check-", 1).daemon()
                .factory());
    }

    /** Whether {@code password} matches {@code hash}; the calling thread waits without a carrier. */
    boolean matches(String password, String hash) {
        Future<Boolean> check = threads.submit(() -> passwords.matches(password, hash));
        try {
            return check.get(settings.passwordCheckWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            throw RejectedRequest.busy("Too many sign-ins are being checked at once. Sign in again after the seconds "
                    + "in the Retry-After header.");
        } catch (InterruptedException e) {
            check.cancel(true);
            Thread.currentThread().interrupt();
            throw RejectedRequest.busy("The server was stopping while this sign-in waited.");
        } catch (ExecutionException e) {
            throw new IllegalStateException("checking a password failed", e.getCause());
        }
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
