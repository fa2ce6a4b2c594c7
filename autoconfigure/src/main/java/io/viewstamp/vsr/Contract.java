package io.viewstamp.vsr;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a method guarantees about its arguments, in the notation of JetBrains' annotation of the
 * same name: {@code "false, _ -> fail"} says the method throws when its first argument is false.
 * NullAway reads any annotation named {@code Contract}, so with it on {@link Invariants#check} a
 * value checked non-null there is known non-null after, without a library the protocol core would
 * depend on.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@interface Contract {

	/** The contract's clauses, separated by {@code ;}. */
	String value();

}
