package app.fieldbook;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * State that lives as long as the current transaction, kept as one of its synchronizations: a
 * transaction suspended by another ({@code REQUIRES_NEW}) keeps its own, and the state ends with it.
 */
public final class PerTransaction {

    private PerTransaction() {
    }

    /**
     * The current transaction's state of this type that {@code mine} accepts, registered from {@code create}
     * the first time; empty outside a transaction.
     */
    public static <T extends TransactionSynchronization> Optional<T> state(Class<T> type, Predicate<? super T> mine,
            Supplier<T> create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return Optional.empty();
        }
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (type.isInstance(synchronization) && mine.test(type.cast(synchronization))) {
                return Optional.of(type.cast(synchronization));
            }
        }
        T created = create.get();
        TransactionSynchronizationManager.registerSynchronization(created);
        return Optional.of(created);
    }
}
