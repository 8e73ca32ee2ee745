package dev.mt5augment.worker.commit;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A consumed record's finished outcome: the records to publish for it (a reply, a dead letter,
 * or both), ready to be committed together with the record's offset.
 *
 * @param lease      the partition lease the record was consumed under
 * @param offset     the record's offset
 * @param records    what to publish: the reply and/or the dead letter
 * @param errorCode  {@code null} when the request was served; else the error code's wire name
 * @param deadLettered whether one of {@code records} is a dead letter
 */
public record Completion(PartitionLease lease, long offset, List<ProducerRecord<byte[], byte[]>> records,
                         String errorCode, boolean deadLettered) {
    public Completion {
        records = List.copyOf(records);
    }

    public boolean ok() {
        return errorCode == null;
    }
}
