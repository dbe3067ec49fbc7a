package dev.distillery.proptest.jupiter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parameter of a {@link Property} method drawn from the generator for its type: a static
 * no-argument method of the test class annotated {@link Provide} whose return type is
 * {@code Gen<ThatType>}, or else a default generator (see {@link PropertyExtension}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ForAll {
}
