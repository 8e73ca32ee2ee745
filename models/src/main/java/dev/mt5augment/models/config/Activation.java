package dev.mt5augment.models.config;

/** The feed-forward activation named by {@code feed_forward_proj} / {@code dense_act_fn}. */
public enum Activation {
    RELU,
    /** transformers' {@code gelu_new}: the tanh approximation {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    GELU_NEW,
    /** The exact erf GELU. */
    GELU,
    SILU;

    static Activation fromHuggingFaceName(String name) {
        return switch (name) {
            case "relu" -> RELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_NEW;
            case "gelu" -> GELU;
            case "silu", "swish" -> SILU;
            default -> throw new ConfigException("unsupported activation '" + name
                    + "' (supported: relu, gelu_new, gelu_pytorch_tanh, gelu, silu)");
        };
    }
}
