package dev.mt5augment.worker.intake;

import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.task.PromptTemplates;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.commit.PartitionLease;
import dev.mt5augment.worker.reply.CompletionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The consumer thread's first look at a record: decode it ({@code contracts}), pick its reply
 * topic, render and tokenize its prompts, and derive its generation settings. Anything wrong ends
 * here as a ready {@link Intake.Refused} (dead letter plus error reply); the rest is an
 * {@link Intake.Accepted} work item for the inference thread.
 *
 * <p>This class and {@link CompletionFactory} are the worker's only seams to the wire format.
 *
 * <p>Threading: called on the consumer thread; holds only thread-safe collaborators.
 */
public final class RecordIntake {
    private final RequestDecoder decoder;
    private final ReplyTopicPolicy replyPolicy;
    private final PromptTemplates templates;
    private final TextTokenizer tokenizer;
    private final int maxInputTokens;
    private final String defaultReplyTopic;
    private final Duration defaultDeadline;
    private final CompletionFactory completions;
    private final Predicate<String> topicExists;

    /**
     * @param topicExists whether a named reply topic exists ({@link ReplyTopicDirectory}); the
     *                    default reply topic is not checked
     */
    public RecordIntake(Predicate<String> topicExists, ReplyTopicPolicy replyPolicy, PromptTemplates templates, TextTokenizer tokenizer,
                        int maxInputTokens, String defaultReplyTopic, Duration defaultDeadline, int maxRecordBytes,
                        CompletionFactory completions) {
        this.decoder = RequestDecoder.builder().replyTopicAllowed(replyPolicy).maxRecordBytes(maxRecordBytes).build();
        this.replyPolicy = replyPolicy;
        this.templates = templates;
        this.tokenizer = tokenizer;
        this.maxInputTokens = maxInputTokens;
        this.defaultReplyTopic = defaultReplyTopic;
        this.defaultDeadline = defaultDeadline;
        this.completions = completions;
        this.topicExists = topicExists;
    }

    public Intake read(SourceRecord source, PartitionLease lease) {
        DecodeOutcome<AugmentRequest> outcome = decoder.decode(source.value(), source.keyText());
        if (outcome instanceof DecodeOutcome.Rejected<AugmentRequest> rejected) {
            String replyTo = rejected.replyToIfReadable() != null ? rejected.replyToIfReadable() : headerReplyTopicOrDefault(source);
            return refused(source, lease, rejected.error(), rejected.idIfReadable(), replyTo);
        }
        AugmentRequest request = ((DecodeOutcome.Decoded<AugmentRequest>) outcome).value();

        String replyTopic = request.replyTo();
        if (replyTopic == null) {
            String header = source.header(MessageHeaders.REPLY_TOPIC);
            if (header != null && !replyPolicy.test(header)) {
                return refused(source, lease, ContractError.of(ErrorCode.REPLY_TOPIC_NOT_ALLOWED, MessageHeaders.REPLY_TOPIC,
                        "this worker does not reply on topic '" + abbreviate(header) + "' (header " + MessageHeaders.REPLY_TOPIC
                                + "); allowed: " + replyPolicy.pattern()), request.id(), defaultReplyTopic);
            }
            replyTopic = header != null ? header : defaultReplyTopic;
        }
        if (!replyTopic.equals(defaultReplyTopic) && !topicExists.test(replyTopic)) {
            return refused(source, lease, ContractError.of(ErrorCode.REPLY_TOPIC_NOT_ALLOWED,
                    request.replyTo() != null ? "reply_to" : MessageHeaders.REPLY_TOPIC,
                    "reply topic '" + abbreviate(replyTopic) + "' does not exist"), request.id(), defaultReplyTopic);
        }

        List<int[]> prompts = new ArrayList<>(request.texts().size());
        for (int i = 0; i < request.texts().size(); i++) {
            String prompt = templates.render(request.task(), request.texts().get(i), request.labels());
            int[] ids;
            try {
                ids = tokenizer.encode(prompt);
            } catch (RuntimeException e) {
                return refused(source, lease, ContractError.of(ErrorCode.INFERENCE_FAILED, "texts[" + i + "]",
                        "the tokenizer failed on this text: " + e.getMessage()), request.id(), replyTopic);
            }
            if (ids.length > maxInputTokens) {
                return refused(source, lease, ContractError.of(ErrorCode.TEXT_TOO_LONG, "texts[" + i + "]",
                        "the prompt for this text is " + ids.length + " tokens; the model accepts at most " + maxInputTokens),
                        request.id(), replyTopic);
            }
            prompts.add(ids);
        }

        List<GenerationConfig> rows;
        try {
            rows = RowConfigs.of(request);
        } catch (IllegalArgumentException e) {
            return refused(source, lease, ContractError.of(ErrorCode.PARAM_OUT_OF_RANGE, e.getMessage()), request.id(), replyTopic);
        }

        long budget = request.deadlineMs() != null ? request.deadlineMs() : defaultDeadline.toMillis();
        long deadline = source.timestamp() >= 0 ? source.timestamp() + budget : System.currentTimeMillis() + budget;
        return new Intake.Accepted(new WorkItem(source, lease, request, prompts, rows, replyTopic, deadline, System.nanoTime()));
    }

    private String headerReplyTopicOrDefault(SourceRecord source) {
        String header = source.header(MessageHeaders.REPLY_TOPIC);
        return header != null && replyPolicy.test(header) ? header : defaultReplyTopic;
    }

    private Intake refused(SourceRecord source, PartitionLease lease, ContractError error, String id, String replyTopic) {
        return new Intake.Refused(completions.refused(source, lease, error, id, replyTopic), error.code().name());
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
