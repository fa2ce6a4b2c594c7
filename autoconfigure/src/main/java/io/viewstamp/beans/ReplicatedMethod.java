package io.viewstamp.beans;

import java.lang.reflect.Method;
import java.util.List;

import io.viewstamp.Consistency;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * A public method of a replicated bean, with the Jackson types its arguments and result travel as.
 *
 * @param method the method, accessible
 * @param signature its stable name in the log, {@code name(erased parameter types)}
 * @param parameterTypes the declared generic parameter types, resolved against the bean's class
 * @param resultType the declared generic return type ({@code T} of {@code CompletableFuture<T>}),
 * or {@code null} for {@code void}
 * @param returnsFuture whether the method returns a {@code CompletableFuture}
 * @param readConsistency the consistency of a {@code @ReadOnly} method, {@code null} for a command
 */
record ReplicatedMethod(Method method, String signature, List<JavaType> parameterTypes, @Nullable JavaType resultType,
		boolean returnsFuture, @Nullable Consistency readConsistency) {

	/** The name this command has among replicas, {@code bean#signature}, in {@code bean}. */
	String commandName(String beanName) {
		return CommandCodec.commandName(beanName, this.signature);
	}

	/** Whether calls go through the log. */
	boolean isCommand() {
		return this.readConsistency == null;
	}

}
