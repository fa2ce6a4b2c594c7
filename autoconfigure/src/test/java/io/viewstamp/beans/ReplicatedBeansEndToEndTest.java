package io.viewstamp.beans;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.viewstamp.ReplicationUnavailableException;
import io.viewstamp.runtime.NodeConfiguration;
import io.viewstamp.runtime.ReplicaNode;
import io.viewstamp.runtime.RuntimeOptions;
import io.viewstamp.transport.LoopbackPorts;
import io.viewstamp.transport.PeerAddress;
import io.viewstamp.vsr.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A plain Spring context (no Boot auto-configuration) with the post-processor and the
 * {@link Inventory} bean of DESIGN.md, on real replicas: what application code sees when it calls
 * a replicated bean.
 */
class ReplicatedBeansEndToEndTest {

	private static final long CLUSTER_ID = 11;

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path root;

	private final List<Application> applications = new ArrayList<>();

	@AfterEach
	void closeAll() {
		for (Application application : this.applications) {
			application.close();
		}
	}

	@Test
	void aLoneReplicaRunsCommandsAndReadsThroughTheProxy() {
		Application application = start(new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone")));
		Inventory inventory = application.inventory();

		assertThat(AopUtils.isCglibProxy(inventory)).isTrue();
		assertThat(inventory.add("apple", 3)).isEqualTo(3);
		assertThat(inventory.add("apple", 2)).isEqualTo(5);
		inventory.addAll(List.of(new Inventory.StockLine("pear", 4), new Inventory.StockLine("fig", 1)));

		assertThat(inventory.count("apple")).isEqualTo(5);
		assertThat(inventory.exactCount("pear")).isEqualTo(4);
		assertThat(inventory.stock()).isEqualTo(Map.of("apple", 5, "pear", 4, "fig", 1));
		assertThat(inventory.lastChange()).isNotNull();
		assertThat(inventory.toString()).startsWith(Inventory.class.getName());
	}

	@Test
	void theBeansExceptionsReachTheCallerAndItsChangesStay() {
		Inventory inventory = start(new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone"))).inventory();
		inventory.add("apple", 3);

		assertThatIllegalStateException().isThrownBy(() -> inventory.remove("apple", 5))
			.withMessage("Only 3 of apple in stock");
		assertThatIllegalArgumentException().isThrownBy(() -> inventory.add("apple", 0))
			.withMessageContaining("is not positive");
		assertThatIllegalArgumentException().isThrownBy(() -> inventory.addThenFail("pear", 2))
			.withMessage("changed my mind");
		assertThat(inventory.count("pear")).isEqualTo(2);
		assertThatThrownBy(() -> inventory.reserve("pear", 3)).isExactlyInstanceOf(OutOfStockException.class)
			.hasMessage("Only 2 of pear in stock, 3 asked");
	}

	@Test
	void aCallOfAMethodThatIsNotPublicIsRefusedRatherThanRunOnThisReplicaAlone() {
		Inventory inventory = start(new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone"))).inventory();
		inventory.add("apple", 3);

		assertThatIllegalStateException().isThrownBy(inventory::clearLocally)
			.withMessageContaining("clearLocally()")
			.withMessageContaining("is not public")
			.withMessageContaining("Make it public");
		assertThat(inventory.count("apple")).isEqualTo(3);
		assertThat(inventory.toString()).startsWith(Inventory.class.getName());
	}

	@Test
	void aCallWhoseArgumentsJacksonCanNotReadBackIsRefusedBeforeItIsLoggedAndTheReplicaServesOn() {
		Application application = start(new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone")));
		Inventory inventory = application.inventory();
		inventory.add("apple", 3);
		// Counted on the apply path, so exact once the call returned (the published status may lag a step).
		long appliedBefore = application.stateMachine.commandsApplied().get("inventory");

		assertThatIllegalArgumentException().isThrownBy(() -> inventory.addExactly("apple", BigInteger.TEN.pow(1_200)))
			.withMessageContaining("addExactly(java.lang.String,java.math.BigInteger)")
			.withMessageContaining("argument 2 (java.math.BigInteger)")
			.withMessageContaining("it was not submitted");

		assertThat(application.stateMachine.commandsApplied().get("inventory")).as("commands applied by the refused call")
			.isEqualTo(appliedBefore);
		// Had the refused command been logged, applying it would have stopped the replica before this one.
		assertThat(inventory.addExactly("apple", BigInteger.TWO)).isEqualTo(5);
		assertThat(application.stateMachine.commandsApplied().get("inventory")).isEqualTo(appliedBefore + 1);
		assertThat(application.node.get().status().stopped()).isFalse();
	}

	@Test
	void aMethodReturningAFutureIsSubmittedWithoutBlocking() {
		Inventory inventory = start(new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone"))).inventory();

		CompletableFuture<Integer> added = inventory.addLater("kiwi", 6);
		assertThat(added).succeedsWithin(WAIT).isEqualTo(6);

		CompletableFuture<Integer> tooMany = inventory.removeLater("kiwi", 7);
		assertThat(tooMany).failsWithin(WAIT)
			.withThrowableThat()
			.havingRootCause()
			.isExactlyInstanceOf(IllegalStateException.class)
			.withMessage("Only 6 of kiwi in stock");
	}

	@Test
	void aCallBeforeTheReplicaRunsOrAfterItClosedIsUnavailable() {
		Application application = new Application();
		this.applications.add(application);

		assertThatExceptionOfType(ReplicationUnavailableException.class)
			.isThrownBy(() -> application.inventory().add("apple", 1))
			.withMessageContaining("replica is not running yet");

		NodeConfiguration configuration = new NodeConfiguration(CLUSTER_ID, 0, List.of(), this.root.resolve("alone"));
		ReplicaNode.format(configuration);
		application.startNode(configuration);
		application.inventory().add("apple", 1);
		application.node.get().close();

		assertThatExceptionOfType(ReplicationUnavailableException.class)
			.isThrownBy(() -> application.inventory().add("apple", 1))
			.withMessageContaining("this replica stopped");
		assertThat(application.inventory().count("apple")).isEqualTo(1);
	}

	@Test
	void threeReplicasHoldEqualInventoriesAfterCallsOnEachOfThem() throws IOException {
		List<PeerAddress> peers = LoopbackPorts.freeAddresses(3);
		Application[] replicas = new Application[3];
		for (int index = 0; index < 3; index++) {
			replicas[index] = start(new NodeConfiguration(CLUSTER_ID, index, peers, this.root.resolve("replica-" + index)));
		}
		await().atMost(WAIT)
			.until(() -> Arrays.stream(replicas)
				.allMatch((replica) -> replica.node.get().status().status() == Status.NORMAL
						&& replica.node.get().status().view() == replicas[0].node.get().status().view()));

		for (int round = 0; round < 10; round++) {
			for (int index = 0; index < 3; index++) {
				replicas[index].inventory().add("sku-" + round, index + 1);
			}
		}
		// A caller on a backup reads its own writes there, and a linearizable read sees every write.
		int backup = (replicas[0].node.get().status().primary() + 1) % 3;
		replicas[backup].inventory().add("mine", 1);
		assertThat(replicas[backup].inventory().count("mine")).isEqualTo(1);
		assertThat(replicas[(backup + 1) % 3].inventory().exactCount("sku-9")).isEqualTo(6);

		await().atMost(WAIT)
			.untilAsserted(() -> {
				for (Application replica : replicas) {
					assertThat(replica.inventory().stock()).hasSize(11).containsEntry("sku-0", 6).containsEntry("mine", 1);
					assertThat(replica.stateMachine.snapshot()).isEqualTo(replicas[0].stateMachine.snapshot());
				}
			});
	}

	private Application start(NodeConfiguration configuration) {
		Application application = new Application();
		this.applications.add(application);
		ReplicaNode.format(configuration);
		application.startNode(configuration);
		return application;
	}

	/** One application: its Spring context, and the replica started after it, as the starter will do. */
	private static final class Application implements AutoCloseable {

		final BeanStateMachine stateMachine = new BeanStateMachine(JsonMapper.builder().build());

		final AtomicReference<ReplicaNode> node = new AtomicReference<>();

		final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

		Application() {
			this.context.registerBean(ReplicatedBeanPostProcessor.class,
					() -> new ReplicatedBeanPostProcessor(this.stateMachine, () -> {
						ReplicaNode running = this.node.get();
						return (running != null) ? running.client() : null;
					}));
			this.context.register(Inventory.class);
			this.context.refresh();
		}

		void startNode(NodeConfiguration configuration) {
			this.node.set(ReplicaNode.start(configuration, RuntimeOptions.defaults(), this.stateMachine));
		}

		Inventory inventory() {
			return this.context.getBean(Inventory.class);
		}

		@Override
		public void close() {
			ReplicaNode running = this.node.get();
			if (running != null) {
				running.close();
			}
			this.context.close();
		}

	}

}
