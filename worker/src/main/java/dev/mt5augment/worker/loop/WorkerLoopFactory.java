package dev.mt5augment.worker.loop;

import dev.mt5augment.contracts.task.PromptTemplates;
import dev.mt5augment.worker.batch.BatchLimits;
import dev.mt5augment.worker.commit.AtLeastOnceCommitter;
import dev.mt5augment.worker.commit.OutputCommitter;
import dev.mt5augment.worker.commit.SendRetry;
import dev.mt5augment.worker.commit.TransactionalCommitter;
import dev.mt5augment.worker.config.DeliveryMode;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.inference.InferenceRunner;
import dev.mt5augment.worker.inference.InferenceStage;
import dev.mt5augment.worker.intake.RecordIntake;
import dev.mt5augment.worker.intake.ReplyTopicDirectory;
import dev.mt5augment.worker.intake.ReplyTopicPolicy;
import dev.mt5augment.worker.observe.WorkerMetrics;
import dev.mt5augment.worker.reply.CompletionFactory;
import dev.mt5augment.worker.reply.DeadLetterPublisher;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** Wires one {@link WorkerLoop} for one device from the configuration and a loaded model. */
public final class WorkerLoopFactory {
    private final WorkerConfig config;
    private final KafkaClients clients;
    private final PromptTemplates templates;
    private final ReplyTopicPolicy replyPolicy;
    private final MeterRegistry registry;

    public WorkerLoopFactory(WorkerConfig config, MeterRegistry registry) {
        this.config = config;
        this.clients = new KafkaClients(config);
        this.templates = PromptTemplates.defaults().withOverrides(config.promptOverrides());
        this.replyPolicy = new ReplyTopicPolicy(config.allowedReplyTopics());
        this.registry = registry;
    }

    /** The id a loop writes into results and dead letters: {@code instance/device}. */
    public String workerId(String device) {
        return config.instanceId() + "/" + device;
    }

    public WorkerLoop create(ModelReplica model) {
        String device = model.device();
        WorkerMetrics metrics = new WorkerMetrics(registry, device);
        CompletionFactory completions = new CompletionFactory(
                new DeadLetterPublisher(config.deadLetterTopic(), config.groupId(), workerId(device)), model.name(), workerId(device),
                config.maxResultBytes());
        KafkaConsumer<byte[], byte[]> consumer = clients.consumer(device);
        RecordIntake intake = new RecordIntake(new ReplyTopicDirectory(consumer), replyPolicy, templates, model.tokenizer(), model.generator().maxInputTokens(),
                config.resultTopic(), config.defaultDeadline(), config.maxRecordBytes(), completions);
        CircuitBreaker breaker = CircuitBreaker.of("device-" + device, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.breakerWindow())
                .minimumNumberOfCalls(Math.max(1, config.breakerWindow() / 2))
                .failureRateThreshold(config.breakerFailureRate())
                .waitDurationInOpenState(config.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        InferenceStage stage = new InferenceStage(
                new BatchLimits(config.maxBatchRows(), config.maxBatchTokens(), config.linger()),
                new InferenceRunner(model.generator(), model.eosId()), model.tokenizer(), model.eosId(), breaker,
                completions, config.inferenceMaxAttempts(), metrics, () -> { });

        KafkaProducer<byte[], byte[]> producer = clients.producer(device);
        Retry retry = SendRetry.create("kafka-" + device, config.sendRetries(), config.sendRetryBackoff());
        OutputCommitter committer;
        try {
            committer = config.delivery() == DeliveryMode.EXACTLY_ONCE
                    ? new TransactionalCommitter(producer, consumer, retry)
                    : new AtLeastOnceCommitter(producer, consumer, retry);
        } catch (RuntimeException e) {
            producer.close();
            consumer.close();
            throw e;
        }
        return new WorkerLoop(device, config.requestTopic(), consumer, committer, intake, stage, model, metrics,
                config.pollTimeout(), config.commitInterval(), config.maxQueuedRows(), config.shutdownGrace());
    }
}
