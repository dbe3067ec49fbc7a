package dev.distillery.proptest.jupiter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parameter of a {@link Property} method drawn from the generator that the named static,
 * no-argument method of the test class (or a superclass) returns, as a
 * {@code Gen<ParameterType>}. Use it when a type has several useful generators (times in
 * (0, 1] versus arbitrary doubles), which matching by type cannot tell apart.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface From {
    /** Name of the static method that returns the generator. */
    String value();
}
