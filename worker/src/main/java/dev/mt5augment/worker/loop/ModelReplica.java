package dev.mt5augment.worker.loop;

import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.tokenizer.TextTokenizer;

/**
 * One model copy on one device, as a worker loop uses it.
 *
 * @param name      model name reported in results (the checkpoint folder's name)
 * @param device    engine device name ({@code cpu}, {@code cuda:0})
 * @param tokenizer thread-safe; used by the consumer thread (prompts) and the inference thread (decoding)
 * @param generator not thread-safe; used by the inference thread only
 * @param eosId     id of {@code </s>}
 * @param owner     closes the replica's native resources
 */
public record ModelReplica(String name, String device, TextTokenizer tokenizer, Seq2SeqGenerator generator,
                           int eosId, AutoCloseable owner) implements AutoCloseable {
    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ModelReplica.class).warn("closing model on {}: {}", device, e.toString());
        }
    }
}
