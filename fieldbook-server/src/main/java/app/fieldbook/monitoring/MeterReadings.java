package app.fieldbook.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server's meters as the alert rules read them: gauges as they are now, and for the counters the rules
 * watch, how much they grew over a window (as Prometheus's {@code increase}), from the readings taken at each
 * evaluation. Every meter of this process started at 0 when it was registered, so a window that reaches back
 * before the process started counts from 0 at the start, and a series that appeared within the window counts
 * from 0 too. Not thread-safe: one evaluation at a time.
 */
final class MeterReadings {

    /**
     * A request timer's histogram: its bucket bounds (seconds) and counts, cumulative as the Prometheus registry
     * keeps them (since the start, each bucket counting every request up to its bound).
     */
    record Buckets(double[] bounds, double[] counts) {
    }

    /** The counts of the counters watched, and the request timers' buckets, at one instant. */
    record Reading(Instant at, Map<Meter.Id, Double> counts, Map<Meter.Id, Buckets> buckets) {

        double count(Meter.Id id) {
            return counts.getOrDefault(id, 0.0);
        }
    }

    /** Two readings a window apart: the growth of a counter between them. */
    record Window(Reading base, Reading current, double seconds) {

        double increase(Meter.Id id) {
            return Math.max(0, current.count(id) - base.count(id));
        }

        /** The growth of a request timer's buckets, by bound (seconds), cumulative. */
        Map<Double, Double> bucketIncrease(Meter.Id id) {
            Map<Double, Double> grown = new TreeMap<>();
            Buckets now = current.buckets().get(id);
            if (now == null) {
                return grown;
            }
            Buckets before = base.buckets().get(id);
            for (int i = 0; i < now.bounds().length; i++) {
                double earlier = 0;
                if (before != null && i < before.counts().length && before.bounds()[i] == now.bounds()[i]) {
                    earlier = before.counts()[i];
                }
                grown.put(now.bounds()[i], Math.max(0, now.counts()[i] - earlier));
            }
            return grown;
        }
    }

    static final String REQUESTS = "http.server.requests";

    private final MeterRegistry registry;
    private final Map<String, Duration> keep;
    private final Duration longest;
    private final Duration shortest;
    private final Duration keepBuckets;
    private final Instant started;
    private final List<Reading> history = new ArrayList<>();

    /**
     * @param keep the counters (and timers, by their count) whose growth the rules ask for, by name, each with
     *     how long its readings are kept: at least the longest window a rule asks of it
     * @param keepBuckets how long the request timers' buckets are kept
     * @param started when this process's meters started counting
     */
    MeterReadings(MeterRegistry registry, Map<String, Duration> keep, Duration keepBuckets, Instant started) {
        this.registry = registry;
        this.keep = Map.copyOf(keep);
        this.longest = keep.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        this.shortest = Stream.concat(keep.values().stream(), Stream.of(keepBuckets)).min(Duration::compareTo)
                .orElseThrow();
        this.keepBuckets = keepBuckets;
        this.started = started;
    }

    /** Reads the counters watched now, and forgets what no window reaches any more. */
    void take(Instant now) {
        Map<Meter.Id, Double> counts = new HashMap<>();
        Map<Meter.Id, Buckets> buckets = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (!keep.containsKey(id.getName())) {
                continue;
            }
            switch (meter) {
                case Counter counter -> counts.put(id, counter.count());
                case FunctionCounter counter -> counts.put(id, counter.count());
                case Timer timer -> {
                    counts.put(id, (double) timer.count());
                    if (id.getName().equals(REQUESTS)) {
                        buckets.put(id, buckets(timer));
                    }
                }
                default -> {
                }
            }
        }
        history.add(new Reading(now, counts, buckets));
        while (history.size() > 1 && history.getFirst().at().isBefore(now.minus(longest))) {
            history.removeFirst();
        }
        for (int i = 0; i < history.size() - 1 && history.get(i).at().isBefore(now.minus(shortest)); i++) {
            Reading reading = history.get(i);
            boolean bucketsGone = !reading.buckets().isEmpty() && reading.at().isBefore(now.minus(keepBuckets));
            boolean countsGone = reading.counts().keySet().stream()
                    .anyMatch(id -> reading.at().isBefore(now.minus(keep.get(id.getName()))));
            if (bucketsGone || countsGone) {
                // what no window reaches any more is the bulk of the readings: the requests' counts and buckets
                Map<Meter.Id, Double> kept = new HashMap<>(reading.counts());
                kept.keySet().removeIf(id -> reading.at().isBefore(now.minus(keep.get(id.getName()))));
                history.set(i, new Reading(reading.at(), kept, bucketsGone ? Map.of() : reading.buckets()));
            }
        }
    }

    /**
     * The growth over the last {@code window}: from the oldest reading within it (from 0 at the process's
     * start, when the window reaches back that far) to the latest.
     */
    Window since(Duration window) {
        Reading current = latest();
        Instant from = current.at().minus(window);
        if (started.isAfter(from)) {
            Reading zero = new Reading(started, Map.of(), Map.of());
            return new Window(zero, current, seconds(started, current.at()));
        }
        for (Reading reading : history) {
            if (!reading.at().isBefore(from)) {
                return new Window(reading, current, seconds(reading.at(), current.at()));
            }
        }
        return new Window(current, current, 0);
    }

    /** The ids of the counters of this name the latest reading has. */
    Set<Meter.Id> counters(String name) {
        Set<Meter.Id> ids = new HashSet<>();
        for (Meter.Id id : latest().counts().keySet()) {
            if (id.getName().equals(name)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The gauges of this name as they are now, by their tags; NaN values are left out. */
    Map<Map<String, String>, Double> gauges(String name) {
        Map<Map<String, String>, Double> values = new LinkedHashMap<>();
        for (Meter meter : registry.find(name).meters()) {
            Iterator<Measurement> measurements = meter.measure().iterator();
            if (measurements.hasNext()) {
                double value = measurements.next().getValue();
                if (!Double.isNaN(value)) {
                    values.put(tags(meter.getId()), value);
                }
            }
        }
        return values;
    }

    static Map<String, String> tags(Meter.Id id) {
        Map<String, String> tags = new TreeMap<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.put(tag.getKey(), tag.getValue());
        }
        return tags;
    }

    private Reading latest() {
        if (history.isEmpty()) {
            throw new IllegalStateException("no reading taken yet");
        }
        return history.getLast();
    }

    private static Buckets buckets(Timer timer) {
        CountAtBucket[] counts = timer.takeSnapshot().histogramCounts();
        double[] bounds = new double[counts.length];
        double[] cumulative = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            bounds[i] = counts[i].bucket(TimeUnit.SECONDS);
            cumulative[i] = counts[i].count();
        }
        return new Buckets(bounds, cumulative);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
