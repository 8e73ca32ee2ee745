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

    /** New partitions answer NOT_LEADER_OR_FOLLOWER for a moment; wait until every one has a leader. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        if (topics.isEmpty()) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) return;
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet
            }
            Thread.sleep(100);
        }
        log.warn("topics {} have no leader after 30 s", topics);
    }

    /**
     * @param topicConfigs per-topic settings for topics it creates (the dead-letter topic allows
     *                     bigger records: a dead letter is the request plus reason headers)
     */
    public static void ensure(Admin admin, List<String> topics, int partitions, short replicationFactor,
                              java.util.Map<String, java.util.Map<String, String>> topicConfigs) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replicationFactor).configs(topicConfigs.getOrDefault(t, java.util.Map.of())));
                }
            }
            if (missing.isEmpty()) return;
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                    created.add(e.getKey());
                    log.info("created topic {} ({} partitions, replication factor {})", e.getKey(), partitions, replicationFactor);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        log.warn("cannot create topic {}: {}", e.getKey(), ex.getCause().toString());
                    }
                }
            }
            awaitLeaders(admin, created);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot check or create topics {}: {}", topics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
