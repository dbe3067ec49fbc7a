package dev.distillery.proptest.jupiter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a static, no-argument method of a test class that returns a {@code Gen<T>} as the
 * generator for {@link ForAll} parameters of type {@code T} in that class; it takes precedence
 * over the default generators. Two providers for the same type are an error (name one with
 * {@link From} instead).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Provide {
}
