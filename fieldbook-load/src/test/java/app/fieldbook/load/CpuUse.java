package app.fieldbook.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Who used the machine's CPU between two moments, read from Linux's {@code /proc}: the server's JVM, the
 * PostgreSQL processes (its background workers and the backends of the load database; backends of other
 * databases count as other processes), this Gatling JVM, and everything else. Client and server share
 * the cores, so this says which of them a figure was bound by. Elsewhere than on Linux it says nothing.
 */
final class CpuUse {

    /** Linux reports process times in clock ticks of 1/100 s on every common architecture. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path PROC = Path.of("/proc");

    /** Cumulated ticks at one moment. */
    record Sample(long nanos, long server, long postgres, long gatling, long busy, long idle, long iowait) {
    }

    private final long serverPid;
    private final String database;

    /**
     * @param serverPid the server's process id, 0 if unknown
     * @param database the load test's database, whose backends count as PostgreSQL
     */
    CpuUse(long serverPid, String database) {
        this.serverPid = serverPid;
        this.database = database;
    }

    static boolean available() {
        return Files.isReadable(PROC.resolve("stat"));
    }

    Sample sample() {
        if (!available()) {
            return new Sample(System.nanoTime(), 0, 0, 0, 0, 0, 0);
        }
        long postgres = 0;
        try (Stream<Path> processes = Files.list(PROC)) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (isPostgresOfThisTest(process)) {
                    postgres += processTicks(process);
                }
            }
        } catch (IOException e) {
            postgres = 0;
        }
        String[] cpu = firstLine(PROC.resolve("stat")).trim().split("\\s+");
        long user = Long.parseLong(cpu[1]);
        long nice = Long.parseLong(cpu[2]);
        long system = Long.parseLong(cpu[3]);
        long idle = Long.parseLong(cpu[4]);
        long iowait = Long.parseLong(cpu[5]);
        long irq = Long.parseLong(cpu[6]);
        long softirq = Long.parseLong(cpu[7]);
        long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
        return new Sample(System.nanoTime(),
                serverPid > 0 ? processTicks(PROC.resolve(Long.toString(serverPid))) : 0,
                postgres,
                processTicks(PROC.resolve("self")),
                user + nice + system + irq + softirq + steal, idle, iowait);
    }

    /** "server 1.10, PostgreSQL 0.52, ..." in cores busy on average between the two samples. */
    String between(Sample from, Sample to) {
        if (!available()) {
            return "not measured (no /proc)";
        }
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double server = cores(to.server() - from.server(), seconds);
        double postgres = cores(to.postgres() - from.postgres(), seconds);
        double gatling = cores(to.gatling() - from.gatling(), seconds);
        double busy = cores(to.busy() - from.busy(), seconds);
        double other = Math.max(0, busy - server - postgres - gatling);
        return String.format(Locale.ROOT,
                "cores busy of %d: server JVM %.2f, PostgreSQL %.2f, Gatling %.2f, other processes %.2f; "
                        + "idle %.2f (waiting for I/O %.2f)",
                cores, server, postgres, gatling, other, cores(to.idle() - from.idle(), seconds),
                cores(to.iowait() - from.iowait(), seconds));
    }

    private static double cores(long ticks, double seconds) {
        return seconds <= 0 ? 0 : ticks / TICKS_PER_SECOND / seconds;
    }

    private boolean isPostgresOfThisTest(Path process) {
        if (!"postgres".equals(firstLine(process.resolve("comm")).trim())) {
            return false;
        }
        // a backend's title is "postgres: 15/main: user database address state"; workers have no database
        String[] title = firstLine(process.resolve("cmdline")).replace('\0', ' ').trim().split("\\s+");
        boolean backend = title.length >= 5 && title[4].contains("(");
        return !backend || title[3].equals(database);
    }

    /** User and system ticks of a process (all its threads), 0 if it is gone. */
    private static long processTicks(Path process) {
        String stat = firstLine(process.resolve("stat"));
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return 0;
        }
        String[] fields = stat.substring(end + 2).split(" ");
        // fields after the name start at field 3 (state); utime and stime are fields 14 and 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file);
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
