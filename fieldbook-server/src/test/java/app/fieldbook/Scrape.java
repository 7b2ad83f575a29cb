package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One scrape of {@code /actuator/prometheus}, read as Prometheus reads it: samples of named series. */
public final class Scrape {

    public static final String PATH = "/actuator/prometheus";

    /** A sample: the series' name and labels, and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** The scrape token of the test profile ({@code application-test.yml}). */
    public static final String TOKEN = "the-tests-prometheus-scrapes-with-this-0123456789";

    /** A Prometheus server scraping the server on {@code port} with the test profile's token. */
    public static Api prometheus(int port) {
        return Api.anonymous(port).withToken(TOKEN);
    }

    /** Scrapes the metrics as {@code api} (a Prometheus server with the scrape token). */
    public static Scrape of(Api api) {
        Api.Answer answer = api.get(PATH);
        assertThat(answer.status()).as("GET " + PATH).isEqualTo(200);
        List<Sample> samples = new ArrayList<>();
        for (String line : new String(answer.raw().body(), StandardCharsets.UTF_8).split("\n")) {
            Matcher sample = LINE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            samples.add(new Sample(sample.group(1), labels, value(sample.group(3))));
        }
        return new Scrape(samples);
    }

    /**
     * Scrapes until {@code wanted} holds of the series named so with these labels (a series the server adds a
     * moment after the change that makes it, such as the figures read from the database), for ten seconds.
     */
    public static double awaited(Api api, String name, Map<String, String> labels, DoublePredicate wanted)
            throws InterruptedException {
        Optional<Double> last = Optional.empty();
        for (int attempt = 0; attempt < 100; attempt++) {
            last = of(api).value(name, labels);
            if (last.isPresent() && wanted.test(last.get())) {
                return last.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The metric " + name + labels + " is "
                + last.map(value -> Double.toString(value)).orElse("absent") + " after ten seconds");
    }

    /** The names of every series exposed. */
    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every value of every label of every series exposed. */
    public Set<String> labelValues() {
        return samples.stream().flatMap(sample -> sample.labels().values().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The value of the series with this name and these labels (among others), if it is exposed. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .findFirst();
    }

    /** The value of the series, 0 when it is not exposed (a counter before its first count). */
    public double count(String name, Map<String, String> labels) {
        return value(name, labels).orElse(0.0);
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
