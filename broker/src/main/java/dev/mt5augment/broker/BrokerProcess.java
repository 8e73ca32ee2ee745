package dev.mt5augment.broker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the broker child process: formats the storage when asked, then runs Kafka's own
 * {@code kafka.Kafka}, and exits as soon as its standard input closes.
 *
 * <p>Why the stdin watch: the parent holds the write end of the child's stdin. When the parent
 * exits for any reason (including SIGKILL) the pipe closes, so a killed test or worker never
 * leaves a broker behind. {@link EmbeddedKafkaBroker#close()} stops the broker the same way.
 *
 * <p>Usage: {@code BrokerProcess SERVER_PROPERTIES [--format CLUSTER_ID]}
 */
public final class BrokerProcess {
    /** After stdin closes, a clean shutdown gets this long before the process halts. */
    private static final long SHUTDOWN_GRACE_MS = 10_000;

    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && !(args.length == 3 && "--format".equals(args[1]))) {
            System.err.println("usage: BrokerProcess SERVER_PROPERTIES [--format CLUSTER_ID]");
            System.exit(2);
        }
        String properties = args[0];
        startParentWatch();
        if (args.length == 3) {
            int rc = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", args[2], "-c", properties, "--ignore-formatted"}, System.out);
            if (rc != 0) {
                System.err.println("storage format failed with exit code " + rc);
                System.exit(rc);
            }
        }
        kafka.Kafka.main(new String[] {properties});
    }

    private static void startParentWatch() {
        Thread watch = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buf = new byte[64];
                while (in.read(buf) >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as EOF: the parent is gone
            }
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                System.err.println("broker did not stop within " + SHUTDOWN_GRACE_MS + " ms; halting");
                Runtime.getRuntime().halt(1);
            }, "broker-halter");
            halter.setDaemon(true);
            halter.start();
            System.err.println("parent closed stdin; shutting the broker down");
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
