package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.viewstamp.Consistency;
import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.actuate.CommandObservations;
import io.viewstamp.actuate.ReplicatedCallContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code replication.command} observations of {@link ReplicationObservationAutoConfiguration},
 * on a real single replica, with Spring Boot's own observation registry: what tracing builds on.
 */
class ReplicationObservationAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, ReplicationAutoConfiguration.class,
				ReplicationObservationAutoConfiguration.class))
		.withUserConfiguration(TallyConfiguration.class, RecordingHandlerConfiguration.class);

	@TempDir
	Path root;

	@Test
	void aCommandIsAnObservationInsideTheCallersOwnWithItsBeanMethodOutcomeAndOp() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(CommandObservations.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Tally tally = context.getBean(Tally.class);
			Observation request = Observation.createNotStarted("http.server.requests", registry);
			request.observe(() -> tally.add(5));

			ReplicatedCallContext call = context.getBean(RecordingHandler.class).only();
			assertThat(call.getName()).isEqualTo("replication.command");
			assertThat(call.getContextualName()).isEqualTo("tally add");
			assertThat(call.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("bean", "tally"),
					KeyValue.of("method", "add(int)"), KeyValue.of("kind", "command"), KeyValue.of("outcome", "success"));
			assertThat(call.getHighCardinalityKeyValue("op").getValue()).isEqualTo(String.valueOf(call.getOp()));
			assertThat(call.getOp()).isPositive();
			// Tracing makes the request's span the parent of the replicated call's.
			assertThat(call.getParentObservation()).isSameAs(request);
		});
	}

	@Test
	void aCommandThatThrowsIsAFailureWithItsError() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			Tally tally = context.getBean(Tally.class);
			assertThatIllegalArgumentException().isThrownBy(() -> tally.add(-1));
			ReplicatedCallContext call = context.getBean(RecordingHandler.class).only();
			assertThat(call.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
			assertThat(call.getError()).isInstanceOf(IllegalArgumentException.class).hasMessage("not negative: -1");
			// It committed: the bean threw while the command was applied, on every replica.
			assertThat(call.getOp()).isPositive();
		});
	}

	@Test
	void aLinearizableReadIsObservedAndALocalReadIsNot() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			Tally tally = context.getBean(Tally.class);
			tally.add(2);
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			handler.contexts.clear();
			assertThat(tally.local()).isEqualTo(2);
			assertThat(handler.contexts).isEmpty();
			assertThat(tally.linearizable()).isEqualTo(2);
			ReplicatedCallContext read = handler.only();
			assertThat(read.getLowCardinalityKeyValue("kind").getValue()).isEqualTo("linearizable-read");
			assertThat(read.getContextualName()).isEqualTo("tally linearizable");
			assertThat(read.getOp()).isPositive();
		});
	}

	@Test
	void aCommandThatReturnsAFutureEndsItsObservationBeforeTheCallersFutureCompletes() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			List<Integer> stoppedWhenDone = context.getBean(Tally.class)
				.addAsync(4)
				.thenApply((value) -> handler.contexts.size())
				.thenApply(List::of)
				.join();
			assertThat(stoppedWhenDone).containsExactly(1);
			assertThat(handler.only().getOp()).isPositive();
		});
	}

	@Test
	void aCommandRefusedBeforeItIsSentEndsItsObservationWithTheError() {
		this.runner.withPropertyValues("replication.data-dir=" + this.root.resolve("alone")).run((context) -> {
			// More than the 1 MiB one request may carry: refused by the client, before any replica sees it.
			String huge = "x".repeat(2 << 20);
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(Tally.class).label(huge))
				.withMessageContaining("split it into smaller commands");
			ReplicatedCallContext call = context.getBean(RecordingHandler.class).only();
			assertThat(call.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
			assertThat(call.getOp()).isNull();
			assertThat(call.getHighCardinalityKeyValue("op")).isNull();
		});
	}

	@Test
	void turnedOffAsAnyObservationIsByItsNamePrefix() {
		this.runner
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.observations.enable.replication=false")
			.run((context) -> {
				context.getBean(Tally.class).add(1);
				assertThat(context.getBean(RecordingHandler.class).contexts).isEmpty();
			});
	}

	@Test
	void withoutAnObservationRegistryThereAreNoObservations() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ReplicationAutoConfiguration.class,
					ReplicationObservationAutoConfiguration.class))
			.withUserConfiguration(TallyConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(CommandObservations.class);
				assertThat(context.getBean(Tally.class).add(1)).isEqualTo(1);
			});
	}

	@Replicated
	public static class Tally {

		private int value;

		public int add(int amount) {
			if (amount < 0) {
				throw new IllegalArgumentException("not negative: " + amount);
			}
			this.value += amount;
			return this.value;
		}

		public CompletableFuture<Integer> addAsync(int amount) {
			return CompletableFuture.completedFuture(add(amount));
		}

		public int label(String text) {
			return text.length();
		}

		@ReadOnly
		public int local() {
			return this.value;
		}

		@ReadOnly(consistency = Consistency.LINEARIZABLE)
		public int linearizable() {
			return this.value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TallyConfiguration {

		@Bean
		Tally tally() {
			return new Tally();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingHandlerConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

	}

	/** Keeps the context of every replicated call's observation once it stops. */
	static class RecordingHandler implements ObservationHandler<ReplicatedCallContext> {

		final List<ReplicatedCallContext> contexts = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(ReplicatedCallContext context) {
			this.contexts.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ReplicatedCallContext;
		}

		ReplicatedCallContext only() {
			assertThat(this.contexts).hasSize(1);
			return this.contexts.get(0);
		}

	}

}
