package dev.distillery.cli.run;

import dev.distillery.distill.DistillMethod;

import java.util.List;

/** {@link MethodRegistry#override} for the command tests, which live outside cli.run. */
public final class FakeRegistry {
    private FakeRegistry() {
    }

    /** The registry is {@code methods} until the returned handle is closed. */
    public static Installed install(List<DistillMethod> methods) {
        MethodRegistry.Restore restore = MethodRegistry.override(methods);
        return restore::close;
    }

    /** Puts the previous registry back. */
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }
}
