package io.viewstamp.autoconfigure;

import io.viewstamp.runtime.RuntimeOptions;

/**
 * Customizes how the replica runs beyond what the {@code replication.*} properties set, as Spring
 * Boot's {@code ...Customizer} beans do: every bean of this type is called, in order
 * ({@code @Order}, {@code Ordered}), with a builder that already holds the options the properties
 * gave, before the replica is created. For example, a longer tick for a slow network:
 *
 * <pre>{@code
 * @Bean
 * ReplicationCustomizer slowerTicks() {
 *     return (options) -> options.tickInterval(Duration.ofMillis(20));
 * }
 * }</pre>
 *
 * What a customizer sets is checked with the rest when the options are built: a value the runtime
 * can not use fails startup with a message naming it.
 */
@FunctionalInterface
public interface ReplicationCustomizer {

	/**
	 * Customizes the replica's options.
	 * @param options the options so far, to change in place
	 */
	void customize(RuntimeOptions.Builder options);

}
