package dev.mt5augment.worker.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the worker's topics when they are missing. Not having the right to create them is not
 * an error (a managed cluster creates topics its own way); it is logged.
 */
public final class TopicBootstrap {
    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

    private TopicBootstrap() {
    }

    public static void ensure(Admin admin, List<String> topics, int partitions, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) missing.add(new NewTopic(t, partitions, replicationFactor));
            }
            if (missing.isEmpty()) return;
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                    log.info("created topic {} ({} partitions, replication factor {})", e.getKey(), partitions, replicationFactor);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        log.warn("cannot create topic {}: {}", e.getKey(), ex.getCause().toString());
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot check or create topics {}: {}", topics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
