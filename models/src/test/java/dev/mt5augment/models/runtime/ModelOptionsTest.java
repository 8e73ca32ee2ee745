package dev.mt5augment.models.runtime;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelOptionsTest {

    @Test
    void defaultsAreCpuFloat32EngineThreads512Tokens() {
        ModelOptions o = ModelOptions.defaults();
        assertEquals("cpu", o.device());
        assertEquals(Precision.FP32, o.precision());
        assertEquals(0, o.threads());
        assertEquals(512, o.maxInputTokens());
        assertEquals(16, o.lengthBucket());
        assertEquals(WeightStorage.COPY, o.weights());
        assertEquals(WeightStorage.MAP, WeightStorage.parse("mmap"));
        assertThrows(IllegalArgumentException.class, () -> WeightStorage.parse("disk"));
        assertFalse(o.onGpu());
        assertTrue(ModelOptions.builder().device("cuda:0").build().onGpu());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().threads(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().maxInputTokens(0).build());
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.builder().lengthBucket(0).build());
        assertThrows(NullPointerException.class, () -> ModelOptions.builder().device(null).build());
    }

    @Test
    void precisionParsesCommandLineSpellings() {
        assertEquals(Precision.FP16, Precision.parse("FP16"));
        assertEquals(Precision.FP32, Precision.parse("float32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().contains("bf16"));
    }

    @Test
    void devicesParseCpuAndRefuseMissingOrMalformedGpus() {
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        assertEquals(Device.cpu(), Devices.parse(" CPU "));
        int gpus = Devices.gpuCount();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Devices.parse("cuda:" + gpus));
        assertTrue(missing.getMessage().contains("not available"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("cuda:x"));
    }
}
