package io.viewstamp;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Replicated} bean that only reads its state: it is not logged, and
 * runs on the calling replica. A read-only method that changes the state makes the replicas
 * diverge.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadOnly {

	/**
	 * What the read sees.
	 * @return {@link Consistency#LOCAL} by default
	 */
	Consistency consistency() default Consistency.LOCAL;

}
