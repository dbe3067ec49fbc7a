package dev.distillery.proptest.jupiter;

import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.PropertyConfig;
import dev.distillery.proptest.Shrinkable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs a {@link Property} method with the harness's runner. Registered by {@code @Property}
 * itself; nothing to add to the test class.
 *
 * <p>How: JUnit first resolves the parameters once (this extension hands it placeholders, since
 * JUnit insists on a value per parameter), then asks interceptors to run the method. This one
 * skips JUnit's single call and instead runs {@link dev.distillery.proptest.Property} over the
 * generators of the parameters, calling the method reflectively per try. So shrinking, edge
 * cases, statistics, seeds and replay behave exactly as in the fluent API.
 *
 * <p>Generators: {@link From} names a static provider method; {@link ForAll} takes the
 * {@link Provide} method for the parameter's type, or else the default for {@code int}
 * ({@link Gens#intsEdgeFirst} over [-1000, 1000]), {@code double} ({@link Gens#doublesEdgeFirst}
 * over [-1e6, 1e6], finite) and {@code boolean}. Parameter names appear in reports when the test
 * class is compiled with {@code -parameters}; otherwise they read {@code arg0, arg1, ...}.
 */
public final class PropertyExtension implements ParameterResolver, InvocationInterceptor {

    /** What a zero-argument call can be given for a primitive parameter before the real tries. */
    private static final Map<Class<?>, Object> PRIMITIVE_PLACEHOLDERS = Map.of(
            int.class, 0, long.class, 0L, double.class, 0.0, float.class, 0f,
            boolean.class, false, short.class, (short) 0, byte.class, (byte) 0, char.class, '\0');

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getDeclaringExecutable().isAnnotationPresent(Property.class)
                && (parameter.isAnnotated(ForAll.class) || parameter.isAnnotated(From.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Never seen by the method: interceptTestMethod skips JUnit's call and passes drawn values.
        return PRIMITIVE_PLACEHOLDERS.get(parameter.getParameter().getType());
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        invocation.skip();
        Method method = call.getExecutable();
        Object target = call.getTarget().orElse(null);
        Class<?> testClass = context.getRequiredTestClass();
        Property annotation = method.getAnnotation(Property.class);

        Parameter[] params = method.getParameters();
        List<Gen<?>> gens = new ArrayList<>(params.length);
        for (Parameter p : params) {
            gens.add(generatorFor(p, testClass, target));
        }
        String[] names = Arrays.stream(params).map(Parameter::getName).toArray(String[]::new);
        Gen<Arguments> arguments = argumentsGen(Gen.all(gens), names);

        PropertyConfig config = new PropertyConfig(
                testClass.getSimpleName() + "." + method.getName(),
                testClass.getName() + "#" + method.getName(),
                parseSeed(annotation.seed(), method), annotation.tries(), annotation.shrinkLimit());
        method.setAccessible(true);
        dev.distillery.proptest.Property.forAll(arguments, config)
                .statistics(annotation.statistics())
                .check(args -> invoke(method, target, args.values()));
    }

    /** Calls the method, rethrowing what its body threw (not the reflective wrapper), so the runner sees the real failure. */
    private static void invoke(Method method, Object target, Object[] args) throws Exception {
        try {
            method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    private static OptionalLong parseSeed(String text, Method method) {
        String s = text.trim();
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(s.startsWith("0x") || s.startsWith("0X")
                    ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException("@Property(seed = \"" + text + "\") on " + method
                    + " is not a number (decimal or 0x hex)", e);
        }
    }

    private static Gen<?> generatorFor(Parameter p, Class<?> testClass, Object target) {
        From from = p.getAnnotation(From.class);
        if (from != null) {
            Method provider = findProvider(testClass, from.value(), p);
            return callProvider(provider, target, p);
        }
        if (!p.isAnnotationPresent(ForAll.class)) {
            throw new ExtensionConfigurationException("Parameter '" + p.getName() + "' of a @Property method"
                    + " needs @ForAll or @From(\"provider\")");
        }
        Type wanted = boxed(p.getParameterizedType());
        Method registered = null;
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Provide.class) && m.getParameterCount() == 0
                        && m.getGenericReturnType() instanceof ParameterizedType t
                        && t.getRawType() == Gen.class && t.getActualTypeArguments()[0].equals(wanted)) {
                    if (registered != null && registered.getDeclaringClass() == c) {
                        throw new ExtensionConfigurationException("Two @Provide methods give Gen<" + wanted.getTypeName()
                                + ">: " + registered.getName() + " and " + m.getName() + "; name one with @From");
                    }
                    if (registered == null) {
                        registered = m;
                    }
                }
            }
        }
        if (registered != null) {
            return callProvider(registered, target, p);
        }
        Class<?> type = p.getType();
        if (type == int.class || type == Integer.class) {
            return Gens.intsEdgeFirst(-1000, 1000);
        }
        if (type == double.class || type == Double.class) {
            return Gens.doublesEdgeFirst(-1e6, 1e6);
        }
        if (type == boolean.class || type == Boolean.class) {
            return Gens.booleans().withEdgeCases(List.of(false, true), b -> java.util.stream.Stream.empty());
        }
        throw new ExtensionConfigurationException("No generator for @ForAll parameter '" + p.getName() + "' of type "
                + wanted.getTypeName() + ": add a static @Provide method returning Gen<" + wanted.getTypeName()
                + "> to " + testClass.getSimpleName() + ", or use @From(\"method\"). Defaults exist for int, double"
                + " and boolean only.");
    }

    private static Method findProvider(Class<?> testClass, String name, Parameter p) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                if (!Gen.class.isAssignableFrom(m.getReturnType())) {
                    throw new ExtensionConfigurationException("@From(\"" + name + "\") on '" + p.getName()
                            + "': " + m + " does not return a Gen");
                }
                return m;
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        throw new ExtensionConfigurationException("@From(\"" + name + "\") on '" + p.getName()
                + "': no method " + name + "() in " + testClass.getName() + " or its superclasses");
    }

    private static Gen<?> callProvider(Method provider, Object target, Parameter p) {
        boolean isStatic = Modifier.isStatic(provider.getModifiers());
        if (!isStatic && target == null) {
            throw new ExtensionConfigurationException(provider + " must be static");
        }
        try {
            provider.setAccessible(true);
            Gen<?> gen = (Gen<?>) provider.invoke(isStatic ? null : target);
            if (gen == null) {
                throw new ExtensionConfigurationException(provider + " returned null for '" + p.getName() + "'");
            }
            return gen;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new ExtensionConfigurationException("Calling " + provider + " for '" + p.getName() + "' failed", e);
        }
    }

    private static Type boxed(Type t) {
        if (t instanceof Class<?> c && c.isPrimitive()) {
            return Arrays.stream(new Class<?>[] {Integer.class, Long.class, Double.class, Float.class, Boolean.class,
                            Short.class, Byte.class, Character.class})
                    .filter(w -> PRIMITIVE_PLACEHOLDERS.get(c).getClass() == w).findFirst().orElseThrow();
        }
        return t;
    }

    /** The combined generator with named values, keeping the edge cases of {@link Gen#all}. */
    private static Gen<Arguments> argumentsGen(Gen<List<Object>> values, String[] names) {
        return new Gen<>() {
            @Override
            public Shrinkable<Arguments> generate(SplittableRandom random) {
                return values.generate(random).map(v -> new Arguments(names, v.toArray()));
            }

            @Override
            public List<Shrinkable<Arguments>> edgeCases() {
                return values.edgeCases().stream().map(s -> s.map(v -> new Arguments(names, v.toArray()))).toList();
            }
        };
    }

    /** The arguments of one call, shown as {@code name = value, ...} in failure reports. */
    record Arguments(String[] names, Object[] values) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                String shown = Arrays.deepToString(new Object[] {values[i]});
                b.append(i == 0 ? "" : ", ").append(names[i]).append(" = ")
                        .append(shown, 1, shown.length() - 1);
            }
            return b.toString();
        }
    }
}
