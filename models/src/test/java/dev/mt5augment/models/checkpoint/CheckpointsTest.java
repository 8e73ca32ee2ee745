package dev.mt5augment.models.checkpoint;

import dev.mt5augment.models.config.Mt5Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.mt5augment.models.checkpoint.SafetensorsCheckpointTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Finding weights in a folder, and checking them against the config. */
class CheckpointsTest {

    @Test
    void prefersSafetensorsThenTheIndexThenTheBin(@TempDir Path tmp) throws Exception {
        Path fixture = TinyFixture.dir();
        Files.copy(fixture.resolve("pytorch_model.bin"), tmp.resolve("pytorch_model.bin"));
        try (MappedCheckpoint c = Checkpoints.open(tmp)) {
            assertInstanceOf(PytorchCheckpoint.class, c);
            assertEquals(54, c.tensorNames().size());
        }
        Files.copy(fixture.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.locate(tmp).format());
        try (MappedCheckpoint c = Checkpoints.open(tmp)) {
            assertInstanceOf(SafetensorsCheckpoint.class, c);
            assertEquals(52, c.tensorNames().size());
        }
    }

    @Test
    void aFolderWithoutWeightsSaysWhatItHas(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{}");
        assertMessage(() -> Checkpoints.open(tmp), tmp.toString(), "no weights found", "config.json");
        Files.writeString(tmp.resolve("tf_model.h5"), "x");
        Files.writeString(tmp.resolve("flax_model.msgpack"), "x");
        assertMessage(() -> Checkpoints.open(tmp), "tf_model.h5", "flax_model.msgpack", "not read by this engine");
        assertMessage(() -> Checkpoints.open(tmp.resolve("absent")), "not a directory");
    }

    @Test
    void validatorAcceptsTheFixtureInEveryFormat() {
        Mt5Config config = Mt5Config.load(TinyFixture.dir());
        for (String file : new String[] {"model.safetensors", "model.fp16.safetensors"}) {
            try (Checkpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve(file))) {
                CheckpointValidator.validate(c, config);
            }
        }
        try (Checkpoint c = PytorchCheckpoint.open(TinyFixture.dir().resolve("pytorch_model.bin"))) {
            CheckpointValidator.validate(c, config);
        }
    }

    @Test
    void validatorNamesMissingAndMisshapenTensors() {
        Mt5Config config = Mt5Config.load(TinyFixture.dir());
        try (Checkpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.safetensors"))) {
            Mt5Config wider = withDModelAndTie(config, 128, false);
            assertMessage(() -> CheckpointValidator.validate(c, wider), "model.safetensors", "tensor 'shared.weight'",
                    "[1408, 64]", "[1408, 128]", "more");
            Mt5Config deeper = new Mt5Config(config.modelType(), config.vocabSize(), config.dModel(), config.dKv(),
                    config.numHeads(), config.dFf(), 3, config.numDecoderLayers(), config.relativeAttentionNumBuckets(),
                    config.relativeAttentionMaxDistance(), config.layerNormEpsilon(), config.activation(),
                    config.gatedFeedForward(), config.tieWordEmbeddings(), config.padTokenId(), config.eosTokenId(),
                    config.decoderStartTokenId());
            assertMessage(() -> CheckpointValidator.validate(c, deeper), "'encoder.block.2.layer.0.SelfAttention.q.weight'",
                    "missing");
            // A tied config needs no lm_head; the untied one found in the file is simply unused.
            CheckpointValidator.validate(c, withDModelAndTie(config, 64, true));
        }
    }

    private static Mt5Config withDModelAndTie(Mt5Config c, int dModel, boolean tie) {
        return new Mt5Config(c.modelType(), c.vocabSize(), dModel, c.dKv(), c.numHeads(), c.dFf(), c.numLayers(),
                c.numDecoderLayers(), c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(),
                c.layerNormEpsilon(), c.activation(), c.gatedFeedForward(), tie, c.padTokenId(), c.eosTokenId(),
                c.decoderStartTokenId());
    }
}
