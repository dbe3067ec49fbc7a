package dev.distillery.cli.teacher;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A teacher network's identity for {@code distill --resume}: the SHA-256 of its state dict (each
 * entry's name, dtype, shape and value bits, in order). The flags name the teacher (a folder, a
 * recipe); this says that its weights are still the ones the saved run distilled, so a teacher
 * checkpoint retrained in place since the save is refused instead of silently mixed in.
 */
public final class TeacherFingerprint {
    /** The fingerprint of a teacher without a network (the analytic mixture). */
    static final String NONE = "none";

    private TeacherFingerprint() {
    }

    /** The fingerprint of {@code network}, or {@value #NONE} when it is null. */
    public static String of(Module network) {
        if (network == null) {
            return NONE;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        for (Map.Entry<String, Tensor> e : network.stateDict().entrySet()) {
            Tensor t = e.getValue();
            sha.update((e.getKey() + " " + t.dtype() + " " + t.shape() + "\n").getBytes(StandardCharsets.UTF_8));
            if (t.dtype() == DType.F32) {
                float[] v = t.toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(4 * v.length);
                b.asFloatBuffer().put(v);
                sha.update(b.array());
            } else {
                double[] v = t.toDoubleArray();
                ByteBuffer b = ByteBuffer.allocate(8 * v.length);
                b.asDoubleBuffer().put(v);
                sha.update(b.array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
