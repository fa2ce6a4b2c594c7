package io.viewstamp.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.viewstamp.actuate.CommandLatencyMetrics;
import io.viewstamp.actuate.ReplicationMetrics;
import io.viewstamp.beans.CommandObserver;
import io.viewstamp.beans.ReplicatedBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an application with a Micrometer registry gets from
 * {@link ReplicationMetricsAutoConfiguration}, and that one without still gets its replica.
 */
class ReplicationMetricsAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReplicationAutoConfiguration.class,
				ReplicationMetricsAutoConfiguration.class));

	@TempDir
	Path root;

	@Test
	void whenACommandRunsThenItIsTimedWithItsBeanMethodAndOutcome() {
		this.runner.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class, RegistryConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ReplicationMetrics.class)
					.hasSingleBean(CommandLatencyMetrics.class);
				assertThat(context.getBean(Counter.class).add(3)).isEqualTo(3);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Timer timer = registry.get("replication.command.latency")
					.tag("bean", "counter")
					.tag("method", "add(int)")
					.tag("outcome", "success")
					.timer();
				assertThat(timer.count()).isEqualTo(1);
				assertThat(registry.find("replication.command.latency").tag("outcome", "failure").timer()).isNull();
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void withSpringBootsOwnMetricsTheMetersAreBoundOnceWithoutAWarning(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, ReplicationAutoConfiguration.class,
					ReplicationMetricsAutoConfiguration.class))
			.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(Counter.class).add(1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("replication.commits").functionCounters()).hasSize(1);
				assertThat(registry.find("replication.command.latency").timers()).hasSize(1);
			});
		assertThat(output).doesNotContain("has been already registered");
	}

	/**
	 * The command latency timer takes Spring Boot's own distribution settings, as any meter does:
	 * percentiles and service-level buckets by its name. (A percentile histogram is set the same way;
	 * the simple registry here does not publish one, Prometheus' does.)
	 */
	@Test
	void theLatencyTimerTakesSpringBootsPercentileAndHistogramSettings() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, ReplicationAutoConfiguration.class,
					ReplicationMetricsAutoConfiguration.class))
			.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"),
					"management.metrics.distribution.percentiles.replication.command.latency=0.5,0.99",
					"management.metrics.distribution.slo.replication.command.latency=1ms,10s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(Counter.class).add(1);
				Timer timer = context.getBean(MeterRegistry.class).get("replication.command.latency").timer();
				assertThat(timer.takeSnapshot().percentileValues())
					.extracting((percentile) -> percentile.percentile())
					.containsExactly(0.5, 0.99);
				assertThat(timer.takeSnapshot().histogramCounts())
					.extracting((bucket) -> bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS))
					.as("the service-level buckets, in ms")
					.containsExactly(1.0, 10_000.0);
			});
	}

	@Test
	void whenTheReplicaCommitsThenItsGaugesAndCountersFollowItsStatus() {
		this.runner.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class, RegistryConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				context.getBean(Counter.class).add(1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// The status is published at each tick: wait for one after the command.
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(registry.get("replication.commits").functionCounter().count()).isPositive();
					assertThat(registry.get("replication.op").gauge().value()).isPositive();
				});
				assertThat(registry.get("replication.view").gauge().value()).isNotNaN();
				assertThat(registry.get("replication.status").gauge().value()).isZero();
				FunctionCounter viewChanges = registry.get("replication.view.changes").functionCounter();
				assertThat(viewChanges.count()).isGreaterThanOrEqualTo(0);
				// A single replica has no peers to lag behind it.
				assertThat(registry.find("replication.peer.lag").gauges()).isEmpty();
			});
	}

	@Test
	void whenTheReplicaIsOneOfThreeThenEachOtherReplicaHasALagGauge() throws Exception {
		this.runner.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("replication.replica=1",
					"replication.peers=127.0.0.1:" + ReplicationAutoConfigurationTest.freePort() + ",127.0.0.1:" + ReplicationAutoConfigurationTest.freePort() + ",127.0.0.1:"
							+ ReplicationAutoConfigurationTest.freePort(),
					"replication.data-dir=" + this.root.resolve("1"))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("replication.peer.lag").gauges())
					.extracting((gauge) -> gauge.getId().getTag("peer"))
					.containsExactlyInAnyOrder("0", "2");
				// Recovering, it is not the primary: it knows nothing of the others' acknowledgements.
				assertThat(registry.get("replication.peer.lag").tag("peer", "0").gauge().value()).isNaN();
			});
	}

	@Test
	void whenThereIsNoMeterRegistryThenNoMetersAreConfigured() {
		this.runner.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ReplicationMetrics.class)
					.doesNotHaveBean(CommandLatencyMetrics.class);
				assertThat(context.getBean(ReplicatedBeanPostProcessor.class).getCommandObserver())
					.isSameAs(CommandObserver.NONE);
				assertThat(context.getBean(Counter.class).add(2)).isEqualTo(2);
			});
	}

	@Test
	void whenMicrometerIsNotOnTheClasspathThenTheReplicaStillRuns() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withUserConfiguration(ReplicationAutoConfigurationTest.CounterConfiguration.class)
			.withPropertyValues("replication.data-dir=" + this.root.resolve("alone"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ReplicationMetrics.class);
				assertThat(context.getBean(Counter.class).add(4)).isEqualTo(4);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
