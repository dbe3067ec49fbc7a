package dev.distillery.gpu;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The process-wide CUDA state: the driver, one device's primary context, the loaded PTX modules.
 * Opened once, on first use, by {@link #probe()}, which turns every failure (no driver library, no
 * device, a driver too old for the PTX) into a one-line reason instead of an exception.
 *
 * <p>All work goes to the context's legacy default stream, so kernels, copies and frees are
 * ordered exactly as issued; the memory pool relies on that to reuse blocks safely.
 */
final class CudaContext {
    /** Set {@code -Ddistillery.cuda.sync=true} to synchronize after every launch (pinpoints a faulting kernel). */
    static final boolean SYNC_EACH_LAUNCH = Boolean.getBoolean("distillery.cuda.sync");

    private static Outcome outcome;

    private final CUcontext context;
    private final String deviceName;
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** One pool per context: every backend instance shares it, so cached blocks serve them all. */
    private final DevicePool<CUdeviceptr> pool;

    /** Either an open context or the reason there is none. */
    record Outcome(CudaContext context, String reason) {
    }

    private CudaContext(CUcontext context, String deviceName) {
        this.context = context;
        this.deviceName = deviceName;
        this.pool = new DevicePool<>(new CudaAllocator(this));
    }

    /** Opens the context on first call; later calls return the same outcome. Never throws. */
    static synchronized Outcome probe() {
        if (outcome == null) {
            outcome = open();
        }
        return outcome;
    }

    private static Outcome open() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            int index = Integer.getInteger("distillery.cuda.device", 0);
            if (count[0] == 0) {
                return new Outcome(null, "CUDA backend unavailable: no CUDA device found; check the GPU and "
                        + "CUDA_VISIBLE_DEVICES, or use the simd backend");
            }
            if (index < 0 || index >= count[0]) {
                return new Outcome(null, "CUDA backend unavailable: distillery.cuda.device=" + index + " but only "
                        + count[0] + " device(s) are visible; pick 0.." + (count[0] - 1));
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, index);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            CUcontext ctx = new CUcontext();
            JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device);
            CudaContext c = new CudaContext(ctx, cString(name));
            c.makeCurrent();
            String failed = c.loadModules();
            return failed == null ? new Outcome(c, null) : new Outcome(null, failed);
        } catch (Throwable t) {
            return new Outcome(null, reason(t));
        }
    }

    /** One line naming the problem and the fix, for any failure while opening the driver. */
    static String reason(Throwable t) {
        String all = chainMessages(t);
        if (t instanceof LinkageError || t instanceof ExceptionInInitializerError) {
            if (all.contains("libcuda")) {
                return "CUDA backend unavailable: no NVIDIA driver (libcuda.so.1 not found); install the driver "
                        + "or use the simd backend";
            }
            return "CUDA backend unavailable: the jcuda native library did not load (" + firstLine(all)
                    + "); check that jcuda-natives for this platform is on the class path, or use the simd backend";
        }
        if (all.contains("CUDA_ERROR_NO_DEVICE")) {
            return "CUDA backend unavailable: no CUDA device found (CUDA_ERROR_NO_DEVICE); check the GPU and "
                    + "CUDA_VISIBLE_DEVICES, or use the simd backend";
        }
        if (all.contains("CUDA_ERROR_INSUFFICIENT_DRIVER")) {
            return "CUDA backend unavailable: the NVIDIA driver is too old for CUDA 12 (CUDA_ERROR_INSUFFICIENT_DRIVER);"
                    + " update the driver or use the simd backend";
        }
        return "CUDA backend unavailable: " + t.getClass().getSimpleName() + ": " + firstLine(all)
                + "; use the simd backend";
    }

    /** Loads every module; returns a reason when the driver rejects the PTX, else null. */
    private String loadModules() {
        for (Map.Entry<String, List<String>> e : Ptx.KERNELS.entrySet()) {
            CUmodule module = new CUmodule();
            try {
                byte[] text = (Ptx.load(e.getKey()) + "\0").getBytes(StandardCharsets.UTF_8);
                JCudaDriver.cuModuleLoadData(module, text);
            } catch (CudaException ex) {
                return "CUDA backend unavailable: the driver rejected PTX module " + e.getKey() + " ("
                        + firstLine(ex.getMessage()) + "); the shipped PTX is ISA 9.0 from nvcc 13 and needs an "
                        + "R580+ driver: update the driver, or rebuild the PTX with your nvcc: bash "
                        + "gpu/src/main/cuda/build-ptx.sh gpu/src/main/resources/dev/distillery/gpu/ptx";
            }
            for (String k : e.getValue()) {
                CUfunction f = new CUfunction();
                JCudaDriver.cuModuleGetFunction(f, module, k);
                functions.put(k, f);
            }
        }
        return null;
    }

    /** Binds the context to the calling thread (once per thread). */
    void makeCurrent() {
        if (!bound.get()) {
            JCudaDriver.cuCtxSetCurrent(context);
            bound.set(Boolean.TRUE);
        }
    }

    DevicePool<CUdeviceptr> pool() {
        return pool;
    }

    String deviceName() {
        return deviceName;
    }

    /** Waits for all queued work. */
    void synchronize() {
        makeCurrent();
        JCudaDriver.cuCtxSynchronize();
    }

    /**
     * Launches a kernel on the default stream with a 1-D block. Arguments map to parameters in
     * order: a device pointer to a pointer parameter, Integer/Long/Double to int/long long/double,
     * and an int[] to a by-value struct (its bytes are the struct's bytes).
     */
    void launch(String kernel, int gridX, int gridY, int gridZ, int block, Object... args) {
        makeCurrent();
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalArgumentException("kernel " + kernel + " is not loaded (not listed in Ptx.KERNELS)");
        }
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = param(args[i]);
        }
        JCudaDriver.cuLaunchKernel(f, gridX, gridY, gridZ, block, 1, 1, 0, null, Pointer.to(params), null);
        if (SYNC_EACH_LAUNCH) {
            JCudaDriver.cuCtxSynchronize();
        }
    }

    private static Pointer param(Object a) {
        if (a == null) {
            return Pointer.to(new CUdeviceptr());  // a null pointer parameter
        } else if (a instanceof CUdeviceptr p) {
            return Pointer.to(p);
        } else if (a instanceof Integer v) {
            return Pointer.to(new int[] {v});
        } else if (a instanceof Long v) {
            return Pointer.to(new long[] {v});
        } else if (a instanceof Double v) {
            return Pointer.to(new double[] {v});
        } else if (a instanceof int[] struct) {
            return Pointer.to(struct);
        }
        throw new IllegalArgumentException("unsupported kernel argument type " + a.getClass());
    }

    private static String chainMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        String line = s.strip().split("\\R", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }
}
