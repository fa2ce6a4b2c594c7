package io.viewstamp.test;

import java.util.List;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

/**
 * What every simulated replica's application is made of: the same classes and suppliers on each,
 * as the same jar runs on every replica of a real cluster.
 *
 * @param configurations the classes registered in each replica's context: configurations, components
 * and the replicated beans themselves
 * @param beans the beans registered from suppliers
 * @param mapper the Jackson mapper of commands, results and snapshots
 */
record ApplicationDefinition(List<Class<?>> configurations, List<SuppliedBean<?>> beans, Supplier<JsonMapper> mapper) {

	ApplicationDefinition {
		configurations = List.copyOf(configurations);
		beans = List.copyOf(beans);
	}

	/** A bean made by the test's supplier, called once per replica, so each replica gets its own instance. */
	record SuppliedBean<T>(Class<T> type, Supplier<T> supplier) {

	}

}
