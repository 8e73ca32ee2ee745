package dev.mt5augment.gateway;

import dev.mt5augment.client.AugmentClient;
import dev.mt5augment.client.InFlightPolicy;
import dev.mt5augment.client.cli.Arguments;
import dev.mt5augment.client.cli.UsageException;
import dev.mt5augment.contracts.messaging.Topics;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/gateway [--port 8000] [--host 127.0.0.1] [--bootstrap-servers localhost:9092] ...}: runs
 * the HTTP gateway until SIGTERM/SIGINT. Options: see {@link #USAGE}. Exit status 0 after a clean
 * stop, 2 for bad options or when Kafka or the topics are not there.
 */
public final class GatewayMain {

    static final String USAGE = """
            usage: bin/gateway [OPTIONS]     the seed's HTTP API and page over Kafka request/reply

              --port N                   HTTP port (default 8000; 0 picks a free one; the worker's health port is 8080)
              --host ADDR                address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --bootstrap-servers LIST   Kafka (default $MT5_BOOTSTRAP_SERVERS or localhost:9092)
              --request-topic T          default augment.requests
              --reply-topic T            default augment.results
              --timeout-ms N             wait for a worker at most N ms, then 504 (default 5000)
              --max-body-bytes N         larger bodies get 413 (default 1048576)
              --max-in-flight N          requests waiting for workers at most; beyond, 503 (default 256)
              --threads N, --queue N     handler threads and their queue (default 8, 64)
              --start-timeout-ms N       wait at most N ms for Kafka and the topics at start (default 30000)
              --kafka.SETTING VALUE      any Kafka client setting (security.protocol, sasl.*, ...)

            API: POST /augment {"text": ...}, POST /augment_batch {"texts": [...]}, GET /health, page at GET /
            """;

    private GatewayMain() {
    }

    public static void main(String[] argv) {
        if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        // The JDK server's own limits on slow clients (seconds), unless set on the command line.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "30"));
        AugmentClient client;
        GatewayServer server;
        try {
            Arguments args = Arguments.parse(Arrays.asList(argv), Set.of());
            if (!args.positionals().isEmpty()) throw new UsageException("unexpected argument " + args.positionals().get(0));
            GatewaySettings settings = GatewaySettings.defaults()
                    .withPort(args.integer("port", 8000))
                    .withHost(args.string("host", "127.0.0.1"))
                    .withTimeout(Duration.ofMillis(args.longValue("timeout-ms", 5_000)))
                    .withMaxBodyBytes(args.integer("max-body-bytes", GatewaySettings.defaults().maxBodyBytes()))
                    .withThreads(args.integer("threads", 8), args.integer("queue", 64), 2);
            String env = System.getenv("MT5_BOOTSTRAP_SERVERS");
            String bootstrap = args.string("bootstrap-servers", env == null || env.isBlank() ? "localhost:9092" : env);
            AugmentClient.Builder b = AugmentClient.builder().bootstrapServers(bootstrap)
                    .requestTopic(args.string("request-topic", Topics.REQUESTS))
                    .replyTopic(args.string("reply-topic", Topics.RESULTS))
                    .timeout(settings.timeout())
                    .maxInFlight(args.integer("max-in-flight", 256))
                    .inFlightPolicy(InFlightPolicy.FAIL_FAST)
                    .startTimeout(Duration.ofMillis(args.longValue("start-timeout-ms", 30_000)))
                    .clientId("mt5-gateway")
                    .kafka("max.block.ms", 3_000); // a send must not hold a handler thread long
            Map<String, String> kafka = args.withPrefix("kafka.");
            b.kafka(Map.copyOf(kafka));
            args.rejectUnused();
            System.err.println("connecting to Kafka at " + bootstrap + "...");
            client = b.build();
            try {
                server = GatewayServer.start(settings, client);
            } catch (IOException | RuntimeException e) {
                client.close();
                throw e;
            }
            System.err.println("gateway ready: open " + server.uri() + " (API: POST /augment, POST /augment_batch)");
        } catch (UsageException | IllegalArgumentException | IllegalStateException | IOException
                 | org.apache.kafka.common.KafkaException e) {
            System.err.println("bin/gateway: " + e.getMessage() + "\n(bin/gateway --help lists the options)");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AugmentClient c = client;
        GatewayServer s = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.close();
            c.close();
            stopped.countDown();
        }, "gateway-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
