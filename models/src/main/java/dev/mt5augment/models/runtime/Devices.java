package dev.mt5augment.models.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

/** Device names as users write them ({@code cpu}, {@code cuda:N}) and what this machine has. */
public final class Devices {

    private Devices() {
    }

    /** CUDA devices visible to this process; 0 when there is no driver. Starts no engine. */
    public static int gpuCount() {
        try {
            return CudaUtils.hasCuda() ? CudaUtils.getGpuCount() : 0;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }

    /**
     * Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for any other spelling, or a GPU this machine does not have
     */
    public static Device parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) return Device.cpu();
        int index;
        if (n.equals("cuda") || n.equals("gpu")) {
            index = 0;
        } else if (n.startsWith("cuda:") || n.startsWith("gpu:")) {
            try {
                index = Integer.parseInt(n.substring(n.indexOf(':') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + name + "' (expected cpu or cuda:N)");
            }
        } else {
            throw new IllegalArgumentException("bad device '" + name + "' (expected cpu or cuda:N)");
        }
        int gpus = gpuCount();
        if (index < 0 || index >= gpus) {
            throw new IllegalArgumentException("device '" + name + "' is not available: this machine has "
                    + gpus + " CUDA device" + (gpus == 1 ? "" : "s"));
        }
        return Device.gpu(index);
    }
}
