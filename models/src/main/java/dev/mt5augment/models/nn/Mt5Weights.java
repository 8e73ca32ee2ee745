package dev.mt5augment.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.checkpoint.CheckpointException;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.WeightStorage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the encoder, decoder and LM head from a checkpoint, by the names and shapes of
 * {@link Mt5WeightLayout}.
 *
 * <p>Memory, on the CPU in float32: with {@link WeightStorage#COPY} each weight is a private copy
 * read from the file ({@link Checkpoint#readFloat32}); with {@link WeightStorage#MAP} it aliases the
 * checkpoint's memory-mapped file. Either way the token embedding of an untied model stays mapped,
 * since a lookup touches only the rows it needs, so the checkpoint must stay open until
 * {@link #close()}. Projections are deliberately not fused into bigger matrices: that would copy
 * ~0.5 GB for mT5-base and measured no faster. On a GPU or in float16 every weight is converted /
 * copied to the device; layer norms, position biases and {@code wo} stay float32.
 *
 * <p>Threading: the modules are immutable after loading; running them is not thread-safe (the engine
 * arrays are shared), one generator per model.
 */
public final class Mt5Weights implements AutoCloseable {

    private final Mt5Config config;
    private final NDManager manager;
    private final Encoder encoder;
    private final Decoder decoder;
    private final LmHead lmHead;

    private Mt5Weights(Mt5Config config, NDManager manager, Encoder encoder, Decoder decoder, LmHead lmHead) {
        this.config = config;
        this.manager = manager;
        this.encoder = encoder;
        this.decoder = decoder;
        this.lmHead = lmHead;
    }

    /**
     * Validates every tensor the config needs (present, floating point, right shape), then loads.
     *
     * @throws CheckpointException naming the files and tensors that do not fit
     */
    public static Mt5Weights load(Checkpoint checkpoint, Mt5Config config, Precision precision, Device device,
                                  WeightStorage storage) {
        Map<String, long[]> expected = validate(checkpoint, config);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Loader loader = new Loader(checkpoint, expected, manager, precision, device, config.layerNormEpsilon(),
                    storage, config.tieWordEmbeddings());
            TokenEmbedding shared = new TokenEmbedding(loader.tensor(Mt5WeightLayout.SHARED_EMBEDDING, false));
            Encoder encoder = new Encoder(shared,
                    new RelativePositionBias(loader.tensor(Mt5WeightLayout.relativeAttentionBias(false), true), true,
                            config.relativeAttentionMaxDistance()),
                    encoderLayers(loader, config),
                    loader.norm(Mt5WeightLayout.ENCODER_FINAL_NORM));
            Decoder decoder = new Decoder(shared,
                    new RelativePositionBias(loader.tensor(Mt5WeightLayout.relativeAttentionBias(true), true), false,
                            config.relativeAttentionMaxDistance()),
                    decoderLayers(loader, config),
                    loader.norm(Mt5WeightLayout.DECODER_FINAL_NORM),
                    config.numHeads(), config.dKv());
            LmHead head = config.tieWordEmbeddings()
                    ? new LmHead(new Linear(loader.tensor(Mt5WeightLayout.SHARED_EMBEDDING, false)), (float) Math.pow(config.dModel(), -0.5))
                    : new LmHead(new Linear(loader.tensor(Mt5WeightLayout.LM_HEAD, false)), null);
            return new Mt5Weights(config, manager, encoder, decoder, head);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Checks names, types and shapes of everything the config needs ({@link CheckpointValidator});
     * returns name → shape.
     */
    public static Map<String, long[]> validate(Checkpoint checkpoint, Mt5Config config) {
        CheckpointValidator.validate(checkpoint, config);
        Map<String, long[]> expected = new HashMap<>();
        for (Mt5WeightLayout.TensorSpec spec : new Mt5WeightLayout(config).tensors()) expected.put(spec.name(), spec.shape());
        return expected;
    }

    private static List<EncoderLayer> encoderLayers(Loader w, Mt5Config c) {
        List<EncoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            SelfAttention attention = new SelfAttention(
                    w.linear(Mt5WeightLayout.selfAttention(false, l, "q"), false),
                    w.linear(Mt5WeightLayout.selfAttention(false, l, "k"), false),
                    w.linear(Mt5WeightLayout.selfAttention(false, l, "v"), false),
                    w.linear(Mt5WeightLayout.selfAttention(false, l, "o"), false),
                    c.numHeads(), c.dKv());
            layers.add(new EncoderLayer(w.norm(Mt5WeightLayout.selfAttentionNorm(false, l)), attention,
                    w.norm(Mt5WeightLayout.feedForwardNorm(false, l)), feedForward(w, c, false, l)));
        }
        return layers;
    }

    private static List<DecoderLayer> decoderLayers(Loader w, Mt5Config c) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.numDecoderLayers(); l++) {
            CausalSelfAttention self = new CausalSelfAttention(l,
                    w.linear(Mt5WeightLayout.selfAttention(true, l, "q"), false),
                    w.linear(Mt5WeightLayout.selfAttention(true, l, "k"), false),
                    w.linear(Mt5WeightLayout.selfAttention(true, l, "v"), false),
                    w.linear(Mt5WeightLayout.selfAttention(true, l, "o"), false),
                    c.numHeads(), c.dKv());
            CrossAttention cross = new CrossAttention(
                    w.linear(Mt5WeightLayout.crossAttention(l, "q"), false),
                    w.linear(Mt5WeightLayout.crossAttention(l, "k"), false),
                    w.linear(Mt5WeightLayout.crossAttention(l, "v"), false),
                    w.linear(Mt5WeightLayout.crossAttention(l, "o"), false),
                    c.numHeads(), c.dKv());
            layers.add(new DecoderLayer(l,
                    w.norm(Mt5WeightLayout.selfAttentionNorm(true, l)), self,
                    w.norm(Mt5WeightLayout.crossAttentionNorm(l)), cross,
                    w.norm(Mt5WeightLayout.feedForwardNorm(true, l)), feedForward(w, c, true, l)));
        }
        return layers;
    }

    private static FeedForward feedForward(Loader w, Mt5Config c, boolean decoder, int l) {
        Linear wi = w.linear(Mt5WeightLayout.feedForward(decoder, l, c.gatedFeedForward() ? "wi_0" : "wi"), false);
        Linear wiLinear = c.gatedFeedForward() ? w.linear(Mt5WeightLayout.feedForward(decoder, l, "wi_1"), false) : null;
        // wo stays float32: mT5's feed-forward output overflows float16.
        Linear wo = w.linear(Mt5WeightLayout.feedForward(decoder, l, "wo"), true);
        return new FeedForward(wi, wiLinear, wo, c.activation());
    }

    public Mt5Config config() {
        return config;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder decoder() {
        return decoder;
    }

    public LmHead lmHead() {
        return lmHead;
    }

    /** The manager holding the weights; its device is the model's device. */
    public NDManager manager() {
        return manager;
    }

    /** Frees the engine arrays (the checkpoint stays open; its owner closes it afterwards). */
    @Override
    public void close() {
        manager.close();
    }

    /** Reads tensors in float32 and places them on the device in the precision's type. */
    private static final class Loader {
        private final Checkpoint checkpoint;
        private final Map<String, long[]> expected;
        private final NDManager manager;
        private final Precision precision;
        private final Device device;
        private final double epsilon;
        private final NDManager host;
        private final WeightStorage storage;
        private final boolean tied;
        private final Map<String, NDArray> shared = new HashMap<>();

        Loader(Checkpoint checkpoint, Map<String, long[]> expected, NDManager manager, Precision precision, Device device,
               double epsilon, WeightStorage storage, boolean tied) {
            this.checkpoint = checkpoint;
            this.expected = expected;
            this.manager = manager;
            this.precision = precision;
            this.device = device;
            this.epsilon = epsilon;
            this.storage = storage;
            this.tied = tied;
            // Checkpoint arrays live on the host; on a GPU they are copied over and freed one by one.
            this.host = device.isGpu() ? manager.newSubManager(Device.cpu()) : manager;
        }

        NDArray tensor(String name, boolean keepFloat32) {
            String key = name + (keepFloat32 ? "#f32" : "");
            NDArray cached = shared.get(key);
            if (cached != null) return cached;
            NDArray placed = place(raw(name), keepFloat32);
            shared.put(key, placed);
            return placed;
        }

        Linear linear(String name, boolean keepFloat32) {
            return new Linear(place(raw(name), keepFloat32));
        }

        RmsNorm norm(String name) {
            return new RmsNorm(place(raw(name), true), epsilon);
        }

        private NDArray raw(String name) {
            if (!expected.containsKey(name)) throw new IllegalStateException("not a layout tensor: " + name);
            // An untied embedding is only looked up: mapped, it costs just the rows used. Anything that
            // is converted or moved anyway is read through the mapping's cheaper path.
            boolean map = storage == WeightStorage.MAP || device.isGpu() || precision != Precision.FP32
                    || (name.equals(Mt5WeightLayout.SHARED_EMBEDDING) && !tied);
            return map ? checkpoint.loadFloat32(name, host) : checkpoint.readFloat32(name, host);
        }

        private NDArray place(NDArray array, boolean keepFloat32) {
            NDArray out = array;
            if (device.isGpu()) {
                out = out.toDevice(device, true);
                out.attach(manager);
                array.close();
            }
            if (precision == Precision.FP16 && !keepFloat32) {
                NDArray narrow = out.toType(DataType.FLOAT16, true);
                narrow.attach(manager);
                out.close();
                out = narrow;
            }
            return out;
        }
    }
}
