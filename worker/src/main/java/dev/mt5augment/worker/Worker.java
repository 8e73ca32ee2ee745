package dev.mt5augment.worker;

import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.loop.KafkaClients;
import dev.mt5augment.worker.loop.LoopState;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelReplica;
import dev.mt5augment.worker.loop.TopicBootstrap;
import dev.mt5augment.worker.loop.WorkerLoop;
import dev.mt5augment.worker.loop.WorkerLoopFactory;
import dev.mt5augment.worker.observe.HealthReport;
import dev.mt5augment.worker.observe.HealthServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: one {@link WorkerLoop} per device (each on its own thread, with its own model
 * replica, consumer and producer, all in one consumer group), plus {@code /health} and
 * {@code /metrics}.
 *
 * <p>{@link #start()} creates missing topics, loads the models and starts the loops;
 * {@link #close()} stops them gracefully (see {@link WorkerLoop}) and waits. Threading: start and
 * close from one thread; {@link #health()} from any.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final List<String> devices;
    private final ModelLoader loader;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<WorkerLoop> loops = new ArrayList<>();
    private HealthServer http;
    private boolean closed;

    /**
     * @param devices engine device names, one loop each
     * @param loader  loads one model replica per device
     */
    public Worker(WorkerConfig config, List<String> devices, ModelLoader loader) {
        this.config = Objects.requireNonNull(config);
        this.devices = List.copyOf(devices);
        this.loader = Objects.requireNonNull(loader);
        if (this.devices.isEmpty()) throw new IllegalArgumentException("a worker needs at least one device");
    }

    public synchronized Worker start() {
        if (config.createTopics()) {
            try (Admin admin = new KafkaClients(config).admin()) {
                TopicBootstrap.ensure(admin, List.of(config.requestTopic(), config.resultTopic(), config.deadLetterTopic()),
                        config.topicPartitions(), config.topicReplicationFactor(),
                        java.util.Map.of(config.deadLetterTopic(), java.util.Map.of("max.message.bytes", Integer.toString(KafkaClients.MAX_REQUEST_SIZE))));
            }
        }
        WorkerLoopFactory factory = new WorkerLoopFactory(config, registry);
        try {
            for (String device : devices) {
                ModelReplica model = loader.load(device);
                WorkerLoop loop;
                try {
                    loop = factory.create(model);
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
                loops.add(loop);
                Thread t = new Thread(loop, "mt5-consumer-" + device);
                t.start();
            }
            if (config.httpPort() >= 0) http = new HealthServer(config.httpPort(), this::health, registry);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open the health port " + config.httpPort() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("worker {} started: {} loop(s) on {}, {} delivery, consuming {}{}", config.instanceId(), loops.size(),
                devices, config.delivery().flag(), config.requestTopic(),
                http != null ? ", health on http://localhost:" + http.port() + "/health" : "");
        return this;
    }

    public HealthReport health() {
        List<HealthReport.LoopHealth> l = new ArrayList<>();
        for (WorkerLoop loop : loops) {
            var breaker = loop.breakerState();
            boolean healthy = loop.state().healthy() && breaker != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN;
            l.add(new HealthReport.LoopHealth(loop.device(), loop.state().name(), breaker.name(), healthy, loop.failure()));
        }
        return new HealthReport(l);
    }

    /** True once every loop has stopped or failed. */
    public boolean terminated() {
        for (WorkerLoop loop : loops) {
            if (loop.state() != LoopState.STOPPED && loop.state() != LoopState.FAILED) return false;
        }
        return true;
    }

    /** True when a loop failed (the process should exit non-zero). */
    public boolean anyFailed() {
        return loops.stream().anyMatch(l -> l.state() == LoopState.FAILED);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The health port actually bound (for {@code http_port=0}), or -1. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Graceful stop: every loop finishes or abandons its work within the grace period, commits, closes. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (WorkerLoop loop : loops) loop.requestStop();
        Duration wait = config.shutdownGrace().plusSeconds(30);
        for (WorkerLoop loop : loops) {
            try {
                if (!loop.awaitStopped(wait)) log.warn("loop on {} did not stop within {}", loop.device(), wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (http != null) http.close();
        registry.close();
        log.info("worker {} stopped", config.instanceId());
    }
}
