package dev.mt5augment.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the broker child process: Kafka's server jars plus this module's own classes
 * (for {@link BrokerProcess}).
 *
 * <p>Where the server jars come from, first match wins:
 * <ol>
 *   <li>system property {@value #PROPERTY};</li>
 *   <li>environment variable {@value #ENV} (an offline bundle points it at its own {@code lib/});</li>
 *   <li>the resource {@value #RESOURCE}, written by Maven at build time (absolute paths into the
 *       local repository, so it is valid on the machine that built the jar).</li>
 * </ol>
 * Entries are separated by the platform's path separator; an entry ending in {@code /*} is a
 * folder of jars, as {@code java -cp} reads it.
 */
public final class BrokerClasspath {
    public static final String PROPERTY = "mt5.broker.classpath";
    public static final String ENV = "MT5_BROKER_CLASSPATH";
    public static final String RESOURCE = "dev/mt5augment/broker/broker.classpath";

    private BrokerClasspath() {
    }

    /** The full child classpath, ready for {@code java -cp}. */
    public static String resolve() {
        String serverJars = serverJars();
        List<String> entries = new ArrayList<>();
        entries.add(ownLocation());
        for (String e : serverJars.split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) entries.add(e.trim());
        }
        checkEntries(entries);
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String serverJars() {
        String fromProperty = System.getProperty(PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) return fromProperty;
        String fromEnv = System.getenv(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        try (InputStream in = BrokerClasspath.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BrokerStartException("no broker classpath: resource " + RESOURCE
                        + " is missing from the broker jar and neither -D" + PROPERTY + " nor " + ENV + " is set");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new BrokerStartException("cannot read resource " + RESOURCE, e);
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(BrokerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new BrokerStartException("cannot locate the broker module's own classes", e);
        }
    }

    /** A missing jar would surface as a ClassNotFoundException in a child's log; say which one here. */
    private static void checkEntries(List<String> entries) {
        for (String e : entries) {
            Path p = Path.of(e.endsWith("*") ? e.substring(0, e.length() - 1) : e);
            if (!Files.exists(p)) {
                throw new BrokerStartException("broker classpath entry does not exist: " + e
                        + " (rebuild the broker module, or set " + ENV + ")");
            }
        }
    }
}
