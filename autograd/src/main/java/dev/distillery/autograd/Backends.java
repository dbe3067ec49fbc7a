package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BackendProvider;
import dev.distillery.autograd.cpu.ScalarBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Chooses the backend new tensors are created on. Selection, in order: a backend installed for
 * the current thread with {@link #use}; the system property {@code distillery.backend}; the
 * environment variable {@code DISTILLERY_BACKEND}; else "simd". Thread count: property
 * {@code distillery.threads}, else the number of available processors.
 *
 * <p>If the default SIMD backend cannot run (the JVM was started without
 * {@code --add-modules=jdk.incubator.vector}), the scalar backend is used with a one-line warning.
 * A backend asked for by name that cannot run is an error naming the reason and the fix.
 */
public final class Backends {
    private static final ThreadLocal<Backend> OVERRIDE = new ThreadLocal<>();
    private static final ThreadLocal<boolean[]> CALLER_ONLY = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile Backend global;

    private Backends() {
    }

    /** The backend of the current thread. */
    public static Backend current() {
        Backend b = OVERRIDE.get();
        if (b != null) {
            return b;
        }
        Backend g = global;
        if (g == null) {
            synchronized (Backends.class) {
                if (global == null) {
                    global = select();
                }
                g = global;
            }
        }
        return g;
    }

    /** Replaces the process-wide default backend. */
    public static synchronized void setDefault(Backend backend) {
        global = backend;
    }

    /** Makes {@code backend} current for this thread until the returned scope is closed. */
    public static Scope use(Backend backend) {
        Backend previous = OVERRIDE.get();
        OVERRIDE.set(backend);
        return () -> {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        };
    }

    /**
     * Makes every kernel started on this thread run on this thread alone, without the backend's
     * helper threads, until the returned scope is closed. For callers that run several independent
     * computations side by side, one per thread: sharing one team of helpers would only add
     * waiting. Results are unchanged, bit for bit: a kernel splits its work into the same fixed
     * tasks whoever runs them.
     */
    public static Scope callerThreadOnly() {
        boolean[] flag = CALLER_ONLY.get();
        boolean previous = flag[0];
        flag[0] = true;
        return () -> flag[0] = previous;
    }

    /** Whether {@link #callerThreadOnly()} is in force on this thread. */
    public static boolean isCallerThreadOnly() {
        return CALLER_ONLY.get()[0];
    }

    /** A scope that restores the previous backend when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The plain-loop oracle. */
    public static Backend scalar() {
        return new ScalarBackend();
    }

    /** Names of the backends found on the class path, with why each cannot run if it cannot. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            out.add(p.name() + p.unavailableReason().map(r -> " (unavailable: " + r + ")").orElse(""));
        }
        return out;
    }

    /**
     * Creates the named backend with the given threads, or throws with the reason it cannot run.
     */
    public static Backend create(String name, int threads) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider p : providers()) {
            if (p.name().equals(wanted)) {
                Optional<String> why = p.unavailableReason();
                if (why.isPresent()) {
                    throw new IllegalStateException("backend '" + wanted + "' cannot run: " + why.get());
                }
                return p.create(threads);
            }
        }
        List<String> names = new ArrayList<>();
        providers().forEach(p -> names.add(p.name()));
        throw new IllegalArgumentException("unknown backend '" + name + "'; choose one of " + names);
    }

    /** Threads the CPU backends use by default. */
    public static int defaultThreads() {
        String p = System.getProperty("distillery.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("distillery.threads=" + p + " is not a positive integer");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static Backend select() {
        String requested = System.getProperty("distillery.backend");
        if (requested == null || requested.isBlank()) {
            requested = System.getenv("DISTILLERY_BACKEND");
        }
        if (requested != null && !requested.isBlank()) {
            return create(requested, defaultThreads());
        }
        BackendProvider simd = find("simd");
        Optional<String> why = simd == null ? Optional.of("SIMD backend not on the class path")
                : simd.unavailableReason();
        if (why.isPresent()) {
            System.err.println("distillery: " + why.get() + "; using the scalar backend");
            return new ScalarBackend();
        }
        return simd.create(defaultThreads());
    }

    private static BackendProvider find(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        list.add(new CpuProviders.Scalar());
        list.add(new CpuProviders.Simd());
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        return list;
    }
}
