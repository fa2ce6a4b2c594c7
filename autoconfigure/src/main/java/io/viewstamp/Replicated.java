package io.viewstamp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring bean class (declared with {@code @Component} or {@code @Bean}) whose state is
 * replicated: every public method is a command, logged and applied in the same order on every
 * replica, unless it carries {@link ReadOnly}. Methods inherited from {@link Object} and those of
 * {@link ReplicatedState} are never commands. The bean's name identifies it in the log, so it
 * must be the same on every replica and stable across releases.
 *
 * <p>Arguments and return values travel as JSON, encoded with the method's declared generic
 * types; a method whose types can not be encoded that way is reported at startup.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Replicated {

}
